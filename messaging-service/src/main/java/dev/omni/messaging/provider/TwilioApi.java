package dev.omni.messaging.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Twilio Programmable Messaging: create a message (form-encoded, basic auth with the account SID). */
@RegisterRestClient(configKey = "twilio")
@Path("/2010-04-01/Accounts/{account}/Messages.json")
interface TwilioApi {

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<JsonNode> create(@PathParam("account") String account, @HeaderParam("Authorization") String authorization,
            @FormParam("To") String to, @FormParam("From") String from, @FormParam("Body") String body,
            @FormParam("StatusCallback") String statusCallback);
}
