package dev.omni.gateway.me;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.gateway.caller.Caller;
import dev.omni.gateway.caller.CustomerDirectory;
import dev.omni.gateway.caller.CustomersConfig;
import dev.omni.gateway.problem.Problems;
import dev.omni.gateway.problem.Violation;
import dev.omni.gateway.route.RequestIds;
import dev.omni.gateway.upstream.Upstream;
import dev.omni.gateway.upstream.UpstreamClient;
import dev.omni.gateway.upstream.UpstreamException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The logged-in customer's own data. The profile is the one their token's verified e-mail resolves to; they never
 * name a profile id, so they cannot name someone else's.
 */
@Path("/api/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final CustomerDirectory directory;
    private final MeAggregator aggregator;
    private final ReservationRequests reservations;
    private final UpstreamClient client;
    private final SecurityIdentity identity;
    private final CustomersConfig customers;

    public MeResource(CustomerDirectory directory, MeAggregator aggregator, ReservationRequests reservations,
            UpstreamClient client, SecurityIdentity identity, CustomersConfig customers) {
        this.directory = directory;
        this.aggregator = aggregator;
        this.reservations = reservations;
        this.client = client;
        this.identity = identity;
        this.customers = customers;
    }

    @GET
    @Operation(summary = "The customer's 360: profile, cart, favourites, loyalty, consents, reservations",
            description = "Parts whose service is down are listed in unavailable; the rest is still returned.")
    public Uni<MeView> me(@HeaderParam(RequestIds.HEADER) String requestId) {
        Caller caller = Caller.of(identity, customers);
        return ownProfile(caller, requestId)
                .chain(profileId -> aggregator.compose(profileId, caller.rawToken(), requestId));
    }

    @GET
    @Path("/reservations")
    @Operation(summary = "The customer's reservations (inventory-service)")
    public Uni<Response> myReservations(@HeaderParam(RequestIds.HEADER) String requestId) {
        Caller caller = Caller.of(identity, customers);
        return ownProfile(caller, requestId)
                .chain(profileId -> client.get(Upstream.INVENTORY,
                        "/api/reservations?profileId=" + URLEncoder.encode(profileId, StandardCharsets.UTF_8),
                        UpstreamClient.onBehalfOf(caller.rawToken(), requestId)))
                .map(MeResource::relay)
                .onFailure(UpstreamException.class).transform(e -> ((UpstreamException) e).toProblem());
    }

    @POST
    @Path("/reservations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reserve for click & collect at a store",
            description = "Body {\"lines\":[{\"sku\",\"locationId\",\"quantity\"}]}; sent to inventory-service as "
                    + "the customer's reservation. Idempotency-Key is passed on.")
    public Uni<Response> reserve(JsonNode body, @HeaderParam(RequestIds.HEADER) String requestId,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        Caller caller = Caller.of(identity, customers);
        ReservationRequests.Parsed parsed = reservations.parse(body);
        if (!parsed.violations().isEmpty()) {
            throw Problems.badRequest(parsed.violations());
        }
        if (idempotencyKey != null && idempotencyKey.length() > 128) {
            throw Problems.badRequest(new Violation("Idempotency-Key", "header", "is longer than 128 characters"));
        }
        return ownProfile(caller, requestId)
                .chain(profileId -> {
                    Map<String, String> headers = UpstreamClient.onBehalfOf(caller.rawToken(), requestId);
                    if (idempotencyKey != null) {
                        headers.put("Idempotency-Key", idempotencyKey);
                    }
                    return client.post(Upstream.INVENTORY, "/api/reservations", headers,
                            reservations.forProfile(profileId, parsed));
                })
                .map(MeResource::relay)
                .onFailure(UpstreamException.class).transform(e -> ((UpstreamException) e).toProblem());
    }

    private Uni<String> ownProfile(Caller caller, String requestId) {
        return directory.profileIdOf(caller, requestId)
                .onFailure(UpstreamException.class).transform(e -> ((UpstreamException) e).toProblem())
                .map(found -> found.orElseThrow(() -> Problems.notFound(
                        "no profile is linked to this login (none has its verified e-mail address)")));
    }

    /** The service's answer as it is: its status, its JSON (problem+json included). */
    private static Response relay(UpstreamClient.Answer answer) {
        Response.ResponseBuilder response = Response.status(answer.status()).entity(answer.body());
        if (answer.contentType() != null) {
            response.type(answer.contentType());
        }
        return response.build();
    }
}
