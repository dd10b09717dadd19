package dev.omni.gateway.availability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.gateway.availability.AvailabilityCache.SkuAvailability;
import dev.omni.gateway.problem.Problems;
import dev.omni.gateway.problem.Violation;
import dev.omni.gateway.route.RequestIds;
import dev.omni.gateway.upstream.Upstream;
import dev.omni.gateway.upstream.UpstreamClient;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/products/{productId}/availability[?near=lat,lng&radiusKm=r]}: every size of a product with its
 * online and per-store availability from the gateway's cache, and, when {@code near} is given, the nearest stores
 * from inventory-service. If inventory cannot answer, the cached part is still returned and {@code unavailable}
 * names what is missing.
 */
@Path("/api/products/{productId}/availability")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ProductAvailabilityResource {

    static final String NEARBY_STORES = "nearbyStores";

    private final AvailabilityCache cache;
    private final AvailabilityConfig config;
    private final UpstreamClient inventory;
    private final JsonWebToken token;

    public ProductAvailabilityResource(AvailabilityCache cache, AvailabilityConfig config, UpstreamClient inventory,
            JsonWebToken token) {
        this.cache = cache;
        this.config = config;
        this.inventory = inventory;
        this.token = token;
    }

    /**
     * @param nearbyStores inventory-service's answer for the stores near the given point, as it sent it
     * @param unavailable  parts that could not be composed (the rest of the answer is still right)
     */
    public record ProductAvailability(String productId, List<SkuAvailability> skus, JsonNode nearbyStores,
            List<String> unavailable) {
    }

    @GET
    @Operation(summary = "Sizes of a product: online and per-store availability, and the nearest stores")
    public Uni<ProductAvailability> get(@PathParam("productId") String productId, @QueryParam("near") String near,
            @QueryParam("radiusKm") String radiusKm, @HeaderParam(RequestIds.HEADER) String requestId) {
        List<SkuAvailability> skus = cache.ofProduct(productId, config.onlineChannel());
        if (near == null) {
            return Uni.createFrom().item(new ProductAvailability(productId, skus, null, List.of()));
        }
        String point = point(near);
        double radius = radius(radiusKm);
        String uri = "/api/availability?productId=" + URLEncoder.encode(productId, StandardCharsets.UTF_8)
                + "&near=" + point + "&radiusKm=" + radius;
        return inventory.get(Upstream.INVENTORY, uri, UpstreamClient.onBehalfOf(token.getRawToken(), requestId))
                .map(answer -> {
                    if (answer.ok()) {
                        return new ProductAvailability(productId, skus, answer.body(), List.of());
                    }
                    Log.warnf("inventory-service answered %d for stores near %s", answer.status(), point);
                    return new ProductAvailability(productId, skus, null, List.of(NEARBY_STORES));
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("nearest stores left out: %s", failure.getMessage());
                    return new ProductAvailability(productId, skus, null, List.of(NEARBY_STORES));
                });
    }

    private static String point(String near) {
        String[] parts = near.split(",", -1);
        try {
            if (parts.length == 2) {
                double lat = Double.parseDouble(parts[0].trim());
                double lng = Double.parseDouble(parts[1].trim());
                if (lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180) {
                    return String.format(Locale.ROOT, "%s,%s", lat, lng);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Problems.badRequest(Violation.query("near", "must be lat,lng in degrees, e.g. 52.52,13.405"));
    }

    private double radius(String radiusKm) {
        if (radiusKm == null) {
            return config.defaultRadiusKm();
        }
        try {
            double radius = Double.parseDouble(radiusKm);
            if (radius > 0 && radius <= 500) {
                return radius;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Problems.badRequest(Violation.query("radiusKm", "must be a number of kilometres above 0, at most 500"));
    }
}
