package dev.omni.inventory.stock;

import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.ArrayList;
import java.util.List;

@Path("/api/stock")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StockResource {

    private final StockService stock;

    public StockResource(StockService stock) {
        this.stock = stock;
    }

    public record Settings(Integer safetyStock, Integer damaged) {
    }

    @GET
    @Path("/{sku}/{locationId}")
    @Operation(summary = "The quantities of a sku at a location: onHand, reserved, committed, safetyStock, damaged, "
            + "available")
    public Uni<StockPicture> get(@PathParam("sku") String sku, @PathParam("locationId") String locationId) {
        return stock.picture(new StockKey(sku, locationId));
    }

    @GET
    @Path("/{sku}")
    @Operation(summary = "A sku at every location that ever held it, and its online availability")
    public Uni<StockService.SkuStock> ofSku(@PathParam("sku") String sku) {
        return stock.ofSku(sku);
    }

    @PATCH
    @Path("/{sku}/{locationId}")
    @Operation(summary = "Set safety stock and/or damaged units (absolute)")
    public Uni<StockPicture> configure(@PathParam("sku") String sku, @PathParam("locationId") String locationId,
            @NotNull Settings settings) {
        List<Violation> violations = new ArrayList<>();
        check("safetyStock", settings.safetyStock(), violations);
        check("damaged", settings.damaged(), violations);
        if (settings.safetyStock() == null && settings.damaged() == null) {
            violations.add(Violation.body("body", "set safetyStock, damaged or both"));
        }
        if (!violations.isEmpty()) {
            throw Problems.badRequest("the settings are not valid", violations);
        }
        return stock.configure(new StockKey(sku, locationId), settings.safetyStock(), settings.damaged());
    }

    private static void check(String field, Integer value, List<Violation> violations) {
        if (value != null && (value < 0 || value > 1_000_000)) {
            violations.add(Violation.body(field, "0 to 1000000"));
        }
    }
}
