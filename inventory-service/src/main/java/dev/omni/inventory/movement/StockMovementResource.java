package dev.omni.inventory.movement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.inventory.InventoryConfig;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import java.util.ArrayList;
import java.util.List;

/** {@code POST /api/stock-movements}: one movement, or a batch applied all or nothing. */
@Path("/api/stock-movements")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StockMovementResource {

    private final MovementParser parser;
    private final MovementService movements;
    private final InventoryConfig config;

    public StockMovementResource(MovementParser parser, MovementService movements, InventoryConfig config) {
        this.parser = parser;
        this.movements = movements;
        this.config = config;
    }

    @POST
    @Operation(summary = "Record a movement (object) or a batch (array), idempotent by movementId",
            description = "200 with the resulting quantities of each sku@location (a repeated movementId: status "
                    + "DUPLICATE and its first result). 400 names invalid fields, unknown skus or locations; 409 when "
                    + "expectedOnHand does not match. A refused batch applies nothing.")
    public Uni<Object> record(@RequestBody(required = true) JsonNode body) {
        boolean batch = body != null && body.isArray();
        List<JsonNode> items = new ArrayList<>();
        if (batch) {
            body.forEach(items::add);
        } else if (body != null && body.isObject()) {
            items.add(body);
        } else {
            throw Problems.badRequest(Violation.body("body", "a movement object or an array of movements"));
        }
        int max = config.limits().movementBatch();
        if (items.isEmpty() || items.size() > max) {
            throw Problems.badRequest(Violation.body("body", "a batch holds 1 to " + max + " movements, not "
                    + items.size()));
        }
        List<MovementRequest> requests = new ArrayList<>(items.size());
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            MovementParser.Parsed parsed = parser.parse(items.get(i), batch ? "[" + i + "]." : "");
            violations.addAll(parsed.violations());
            requests.add(parsed.request());
        }
        if (!violations.isEmpty()) {
            throw Problems.badRequest(batch ? "invalid movements in the batch; nothing was applied"
                    : "the movement is not valid", violations);
        }
        return movements.record(requests).map(outcomes -> {
            if (!batch) {
                return outcomes.get(0);
            }
            List<MovementOutcome> indexed = new ArrayList<>(outcomes.size());
            for (int i = 0; i < outcomes.size(); i++) {
                indexed.add(outcomes.get(i).at(i));
            }
            return MovementReport.of(indexed);
        });
    }

    @GET
    @Path("/{movementId}")
    @Operation(summary = "A recorded movement and the quantities right after it")
    public Uni<StockMovement> get(@PathParam("movementId") String movementId) {
        return movements.find(movementId);
    }

    @GET
    @Operation(summary = "The legs of a transfer (an out-leg without an in-leg is in transit)")
    public Uni<List<StockMovement>> ofTransfer(@QueryParam("transferId") String transferId) {
        if (transferId == null || transferId.isBlank()) {
            throw Problems.badRequest(Violation.query("transferId", "must not be blank"));
        }
        return movements.ofTransfer(transferId);
    }
}
