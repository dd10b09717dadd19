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

/** WhatsApp Cloud API (Graph API): send a message from a business phone number; the base URL carries the version. */
@RegisterRestClient(configKey = "whatsapp")
@Path("/{phoneNumberId}/messages")
interface WhatsAppApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<JsonNode> send(@PathParam("phoneNumberId") String phoneNumberId,
            @HeaderParam("Authorization") String authorization, Map<String, Object> body);
}
