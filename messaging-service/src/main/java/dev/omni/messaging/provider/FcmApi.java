package dev.omni.messaging.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.Map;

/** Firebase Cloud Messaging HTTP v1: {@code projects.messages.send}. */
@RegisterRestClient(configKey = "fcm")
@Path("/v1/projects/{project}/messages:send")
interface FcmApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<JsonNode> send(@PathParam("project") String project, @HeaderParam("Authorization") String authorization,
            Map<String, Object> body);
}
