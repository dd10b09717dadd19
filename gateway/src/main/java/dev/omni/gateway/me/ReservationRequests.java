package dev.omni.gateway.me;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.gateway.problem.Violation;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A customer's click & collect request: the lines they want and, optionally, the pickup store and whether another
 * store nearby may stand in when a till sale takes the unit ({@code allowReallocation}, {@code reallocationRadiusKm});
 * checked here so a bad request never reaches inventory-service, and sent on with their profile id and channel
 * {@code click_and_collect}.
 */
@ApplicationScoped
public class ReservationRequests {

    static final int MAX_LINES = 50;
    static final int MAX_QUANTITY = 100;
    static final double MAX_RADIUS_KM = 500;

    public record Line(String sku, String locationId, int quantity) {
    }

    /** What inventory-service gets besides the lines: only the options the customer gave. */
    public record Parsed(List<Line> lines, Map<String, Object> options, List<Violation> violations) {
    }

    Parsed parse(JsonNode body) {
        List<Violation> violations = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        JsonNode given = body == null ? null : body.get("lines");
        if (given == null || !given.isArray() || given.isEmpty()) {
            violations.add(Violation.body("lines", "at least one line {sku, locationId, quantity} is required"));
        } else if (given.size() > MAX_LINES) {
            violations.add(Violation.body("lines", "at most " + MAX_LINES + " lines"));
        } else {
            for (int i = 0; i < given.size(); i++) {
                JsonNode line = given.get(i);
                String prefix = "lines[" + i + "].";
                String sku = text(line, "sku", prefix, violations);
                String location = text(line, "locationId", prefix, violations);
                JsonNode quantity = line.get("quantity");
                if (quantity == null || !quantity.isIntegralNumber() || !quantity.canConvertToInt()
                        || quantity.intValue() < 1 || quantity.intValue() > MAX_QUANTITY) {
                    violations.add(Violation.body(prefix + "quantity", "must be a whole number from 1 to " + MAX_QUANTITY));
                } else if (sku != null && location != null) {
                    lines.add(new Line(sku, location, quantity.intValue()));
                }
            }
        }
        Map<String, Object> options = new LinkedHashMap<>();
        JsonNode pickup = body == null ? null : body.get("pickupLocationId");
        if (pickup != null && !pickup.isNull()) {
            if (!pickup.isTextual() || pickup.asText().isBlank() || pickup.asText().length() > 100) {
                violations.add(Violation.body("pickupLocationId", "must be a location id"));
            } else {
                options.put("pickupLocationId", pickup.asText());
            }
        }
        JsonNode allow = body == null ? null : body.get("allowReallocation");
        if (allow != null && !allow.isNull()) {
            if (!allow.isBoolean()) {
                violations.add(Violation.body("allowReallocation", "must be true or false"));
            } else {
                options.put("allowReallocation", allow.booleanValue());
            }
        }
        JsonNode radius = body == null ? null : body.get("reallocationRadiusKm");
        if (radius != null && !radius.isNull()) {
            if (!radius.isNumber() || radius.doubleValue() <= 0 || radius.doubleValue() > MAX_RADIUS_KM) {
                violations.add(Violation.body("reallocationRadiusKm", "must be a number above 0 and at most "
                        + (int) MAX_RADIUS_KM));
            } else {
                options.put("reallocationRadiusKm", radius.doubleValue());
            }
        }
        boolean valid = violations.isEmpty();
        return new Parsed(valid ? List.copyOf(lines) : List.of(), valid ? Map.copyOf(options) : Map.of(),
                List.copyOf(violations));
    }

    Map<String, Object> forProfile(String profileId, Parsed parsed) {
        Map<String, Object> request = new LinkedHashMap<>(parsed.options());
        request.put("profileId", profileId);
        request.put("channel", "click_and_collect");
        request.put("lines", parsed.lines());
        return request;
    }

    private static String text(JsonNode line, String field, String prefix, List<Violation> violations) {
        JsonNode value = line == null ? null : line.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            violations.add(Violation.body(prefix + field, "is required"));
            return null;
        }
        return value.asText();
    }
}
