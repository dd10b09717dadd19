package dev.omni.inventory.availability;

import dev.omni.inventory.Events;
import dev.omni.inventory.InventoryConfig;
import dev.omni.inventory.location.GeoPoint;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.ArrayList;
import java.util.List;

@Path("/api/availability")
@Produces(MediaType.APPLICATION_JSON)
public class AvailabilityResource {

    static final int MAX_STORES = 100;

    private final AvailabilityService availability;
    private final InventoryConfig config;

    public AvailabilityResource(AvailabilityService availability, InventoryConfig config) {
        this.availability = availability;
        this.config = config;
    }

    public record Online(String channel, String sku, String productId, List<AvailabilityService.SkuAvailability> skus) {
    }

    @GET
    @Operation(summary = "Pickup stores near a point (near=lat,lng, radiusKm) or one store (locationId), nearest "
            + "first, with the available quantity of a sku, or of every sku of a product, and a pickup promise")
    public Uni<AvailabilityService.Nearby> search(@QueryParam("sku") String sku,
            @QueryParam("productId") String productId, @QueryParam("near") String near,
            @QueryParam("radiusKm") Double radiusKm, @QueryParam("locationId") String locationId,
            @QueryParam("inStockOnly") @DefaultValue("false") boolean inStockOnly,
            @QueryParam("limit") @DefaultValue("20") int limit) {
        List<Violation> violations = new ArrayList<>();
        if ((sku == null) == (productId == null)) {
            violations.add(Violation.query(sku == null ? "sku" : "productId", "give either sku or productId"));
        }
        GeoPoint point = null;
        if (near != null) {
            point = GeoPoint.parse(near).orElse(null);
            if (point == null) {
                violations.add(Violation.query("near", "latitude,longitude in decimal degrees, e.g. 52.52,13.40"));
            }
        } else if (locationId == null) {
            violations.add(Violation.query("near", "give near=lat,lng or locationId"));
        }
        double radius = radiusKm == null ? config.limits().defaultRadiusKm() : radiusKm;
        if (!(radius > 0 && radius <= config.limits().radiusKm())) {
            violations.add(Violation.query("radiusKm", "more than 0 and at most " + config.limits().radiusKm()));
        }
        if (limit < 1 || limit > MAX_STORES) {
            violations.add(Violation.query("limit", "1 to " + MAX_STORES));
        }
        if (!violations.isEmpty()) {
            throw Problems.badRequest("the availability search is not valid", violations);
        }
        AvailabilityService.Search search = new AvailabilityService.Search(point, radius, locationId, inStockOnly,
                limit);
        return sku != null ? availability.ofSku(sku, search) : availability.ofProduct(productId, search);
    }

    @GET
    @Path("/online")
    @Operation(summary = "Online availability (summed over locations that fulfil online) of a sku or of each sku "
            + "of a product")
    public Uni<Online> online(@QueryParam("sku") String sku, @QueryParam("productId") String productId) {
        if ((sku == null) == (productId == null)) {
            throw Problems.badRequest(Violation.query(sku == null ? "sku" : "productId", "give either sku or productId"));
        }
        return (sku != null ? availability.online("k.sku = ?1", sku) : availability.online("k.product_id = ?1", productId))
                .invoke(skus -> {
                    if (skus.isEmpty()) {
                        throw Problems.notFound(sku != null ? "no sku " + sku : "no product " + productId);
                    }
                })
                .map(skus -> new Online(Events.ONLINE, sku, productId, skus));
    }
}
