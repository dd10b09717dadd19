package dev.omni.gateway.stock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.gateway.caller.Caller;
import dev.omni.gateway.caller.CustomersConfig;
import dev.omni.gateway.problem.Problems;
import dev.omni.gateway.route.RequestIds;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Clock;
import java.util.List;

/** {@code POST /api/partners/stock-movements} (scope {@code stock:write}): POS and WMS report what moved. */
@Path("/api/partners/stock-movements")
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StockMovementResource {

    private final StockMovementParser parser;
    private final StockMovementPublisher publisher;
    private final SecurityIdentity identity;
    private final CustomersConfig customers;

    public StockMovementResource(StockMovementsConfig config, StockMovementPublisher publisher,
            SecurityIdentity identity, CustomersConfig customers) {
        this.parser = new StockMovementParser(config.maxBatch(), config.maxClockSkew(), Clock.systemUTC());
        this.publisher = publisher;
        this.identity = identity;
        this.customers = customers;
    }

    public record Accepted(int accepted, List<Published> movements) {
    }

    public record Published(String movementId, String eventId, String key) {
    }

    @POST
    @Operation(summary = "Record stock movements (one, or a batch of up to 500)",
            description = "Accepted whole or not at all. 202 means Kafka acknowledged every movement on "
                    + "omni.stock-movements; on 503 resend the batch (movement ids make it idempotent).")
    @APIResponse(responseCode = "202", description = "every movement published")
    @APIResponse(responseCode = "400", description = "problem+json listing each invalid field")
    @APIResponse(responseCode = "503", description = "Kafka did not acknowledge every movement in time")
    public Uni<Response> record(JsonNode body, @HeaderParam(RequestIds.HEADER) String requestId) {
        String partner = Caller.of(identity, customers).clientId();
        StockMovementParser.Result parsed = parser.parse(body, partner);
        if (!parsed.valid()) {
            throw Problems.badRequest(parsed.violations());
        }
        return publisher.publish(parsed.movements(), requestId)
                .map(events -> Response.accepted(new Accepted(events.size(), events.stream()
                        .map(e -> new Published(e.data().movementId(), e.id().toString(), e.key()))
                        .toList())).build())
                .onFailure().transform(failure -> {
                    Log.warnf("stock movements of %s not acknowledged by Kafka: %s", partner, failure.toString());
                    return Problems.unavailable("Kafka did not acknowledge every movement; resend the batch "
                            + "(movement ids make that safe)", 5);
                });
    }
}
