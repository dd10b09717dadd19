package dev.omni.console.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.console.gateway.Gateway;
import dev.omni.console.gateway.GatewayException;
import dev.omni.console.web.Json;
import dev.omni.console.web.Staff;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A product's sizes × locations with availability, and the stores drawn on an SVG map from their coordinates (no
 * map tiles: none are reachable, and none are needed to see where a size is).
 */
@Path("/inventory")
@RolesAllowed({Staff.OPERATOR, Staff.ADMIN})
public class InventoryPages {

    static final int AT_RISK_SHOWN = 100;
    private static final Pattern PRODUCT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Inject
    Gateway gateway;

    @Inject
    @Location("inventory.html")
    Template page;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String availability(@QueryParam("productId") String productId, @QueryParam("sku") String sku) {
        if (productId == null || productId.isBlank()) {
            return page.data("productId", "").data("grid", null).render();
        }
        String product = productId.trim();
        if (!PRODUCT_ID.matcher(product).matches()) {
            throw new GatewayException(400, "Bad product id", "letters, digits, '.', '_' or '-', at most 64",
                    List.of("productId: " + productId));
        }
        JsonNode availability = gateway.availability(product);
        Map<String, JsonNode> locations = new HashMap<>();
        for (JsonNode location : gateway.locations()) {
            locations.put(location.path("id").asText(), location);
        }
        StockGrid grid = StockGrid.of(availability, locations, sku);
        return page.data("productId", product).data("grid", grid).render();
    }

    /**
     * Reservations at risk across customers (a line no longer covered by the stock of its store), newest first: its
     * own part of the page, loaded by htmx, so a failure here leaves the grid usable.
     */
    @GET
    @Path("/at-risk")
    @Produces(MediaType.TEXT_HTML)
    public String atRisk() {
        List<Object> reservations = Json.list(gateway.reservationsAtRisk(AT_RISK_SHOWN));
        return page.getFragment("atrisk").data("reservations", reservations).render();
    }

    /** Sizes as rows, locations as columns, and the map of the chosen size. */
    public record StockGrid(List<String> skus, List<Place> places, Map<String, Map<String, Integer>> cells,
            Map<String, Integer> online, String selected, List<Dot> dots) {

        static StockGrid of(JsonNode availability, Map<String, JsonNode> known, String wanted) {
            List<String> skus = new ArrayList<>();
            Map<String, Map<String, Integer>> cells = new HashMap<>();
            Map<String, Integer> online = new HashMap<>();
            Map<String, Place> places = new java.util.TreeMap<>();
            for (JsonNode size : availability.path("skus")) {
                String sku = size.path("sku").asText();
                skus.add(sku);
                Map<String, Integer> row = new HashMap<>();
                for (JsonNode at : size.path("locations")) {
                    String id = at.path("locationId").asText();
                    row.put(id, at.path("available").asInt());
                    places.computeIfAbsent(id, l -> Place.of(l, known.get(l)));
                }
                cells.put(sku, row);
                if (size.hasNonNull("online")) {
                    online.put(sku, size.path("online").path("available").asInt());
                }
            }
            String selected = wanted != null && skus.contains(wanted) ? wanted : (skus.isEmpty() ? null : skus.get(0));
            return new StockGrid(skus, List.copyOf(places.values()), cells, online, selected,
                    Dot.project(places.values(), selected == null ? Map.of() : cells.get(selected)));
        }

        public Integer at(String sku, String locationId) {
            return cells.getOrDefault(sku, Map.of()).get(locationId);
        }
    }

    public record Place(String id, String name, String type, Double latitude, Double longitude) {

        static Place of(String id, JsonNode location) {
            if (location == null) {
                return new Place(id, id, "", null, null);
            }
            return new Place(id, location.path("name").asText(id), location.path("type").asText(""),
                    location.hasNonNull("latitude") ? location.get("latitude").asDouble() : null,
                    location.hasNonNull("longitude") ? location.get("longitude").asDouble() : null);
        }
    }

    /** A location on the 600 × 600 SVG map: equirectangular, longitude shrunk by cos(mean latitude). */
    public record Dot(String id, String name, String type, double x, double y, int available) {

        static final double SIZE = 600;
        static final double MARGIN = 40;

        static List<Dot> project(Iterable<Place> places, Map<String, Integer> available) {
            List<Place> located = new ArrayList<>();
            places.forEach(p -> {
                if (p.latitude() != null && p.longitude() != null) {
                    located.add(p);
                }
            });
            if (located.isEmpty()) {
                return List.of();
            }
            double meanLat = located.stream().mapToDouble(Place::latitude).average().orElse(0);
            double k = Math.cos(Math.toRadians(meanLat));
            double minX = located.stream().mapToDouble(p -> p.longitude() * k).min().orElse(0);
            double maxX = located.stream().mapToDouble(p -> p.longitude() * k).max().orElse(0);
            double minY = located.stream().mapToDouble(Place::latitude).min().orElse(0);
            double maxY = located.stream().mapToDouble(Place::latitude).max().orElse(0);
            double span = Math.max(Math.max(maxX - minX, maxY - minY), 1e-6);
            double scale = (SIZE - 2 * MARGIN) / span;
            List<Dot> dots = new ArrayList<>();
            for (Place p : located) {
                double x = MARGIN + (p.longitude() * k - minX) * scale;
                double y = SIZE - MARGIN - (p.latitude() - minY) * scale;
                dots.add(new Dot(p.id(), p.name(), p.type(), Math.round(x * 10) / 10.0, Math.round(y * 10) / 10.0,
                        available.getOrDefault(p.id(), 0)));
            }
            return dots;
        }
    }
}
