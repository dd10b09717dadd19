package dev.omni.console.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The gateway routes the console uses (gateway/README.md, Routes). Wrapped by {@link Gateway}. */
@RegisterRestClient(configKey = "gateway")
@RegisterProvider(ProblemMapper.class)
@Produces(MediaType.APPLICATION_JSON)
interface GatewayApi {

    @GET
    @Path("/api/profiles")
    JsonNode findProfile(@HeaderParam("Authorization") String bearer, @QueryParam("identifierType") String type,
            @QueryParam("identifier") String value);

    @GET
    @Path("/api/profiles/{id}")
    JsonNode profile(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    @GET
    @Path("/api/profiles/{id}/merges")
    JsonNode merges(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    @GET
    @Path("/api/profiles/{id}/consents")
    JsonNode consents(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    @GET
    @Path("/api/profiles/{id}/loyalty")
    JsonNode loyalty(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    @GET
    @Path("/api/profiles/{id}/timeline")
    JsonNode timeline(@HeaderParam("Authorization") String bearer, @PathParam("id") String id,
            @QueryParam("limit") int limit);

    @POST
    @Path("/api/profiles/{id}/unmerge")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode unmerge(@HeaderParam("Authorization") String bearer, @PathParam("id") String id, JsonNode body);

    @GET
    @Path("/api/reservations")
    JsonNode reservations(@HeaderParam("Authorization") String bearer, @QueryParam("profileId") String profileId);

    @GET
    @Path("/api/reservations")
    JsonNode reservationsByStatus(@HeaderParam("Authorization") String bearer, @QueryParam("status") String status,
            @QueryParam("limit") Integer limit);

    @GET
    @Path("/api/segments")
    JsonNode segments(@HeaderParam("Authorization") String bearer);

    @POST
    @Path("/api/segments/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode previewSegment(@HeaderParam("Authorization") String bearer, JsonNode definition);

    @POST
    @Path("/api/segments")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode createSegment(@HeaderParam("Authorization") String bearer,
            @HeaderParam("Idempotency-Key") String idempotencyKey, JsonNode definition);

    @GET
    @Path("/api/journeys")
    JsonNode journeys(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/api/journeys/{id}")
    JsonNode journey(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    @GET
    @Path("/api/journeys/{id}/stats")
    JsonNode journeyStats(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    @POST
    @Path("/api/journeys/{id}/{action}")
    JsonNode journeyAction(@HeaderParam("Authorization") String bearer, @PathParam("id") String id,
            @PathParam("action") String action);

    @GET
    @Path("/api/attribution/reports/paths")
    JsonNode paths(@HeaderParam("Authorization") String bearer, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("lookbackDays") Integer lookbackDays,
            @QueryParam("limit") Integer limit);

    @GET
    @Path("/api/attribution/reports/comparison")
    JsonNode comparison(@HeaderParam("Authorization") String bearer, @QueryParam("models") String models,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("lookbackDays") Integer lookbackDays);

    @GET
    @Path("/api/attribution/reports/comparison")
    @Produces("text/csv")
    String comparisonCsv(@HeaderParam("Authorization") String bearer, @QueryParam("models") String models,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("lookbackDays") Integer lookbackDays, @QueryParam("format") String format);

    @GET
    @Path("/api/attribution/kpis")
    JsonNode kpis(@HeaderParam("Authorization") String bearer, @QueryParam("from") String from,
            @QueryParam("to") String to);

    @GET
    @Path("/api/products/{productId}/availability")
    JsonNode availability(@HeaderParam("Authorization") String bearer, @PathParam("productId") String productId);

    @GET
    @Path("/api/locations")
    JsonNode locations(@HeaderParam("Authorization") String bearer);
}
