package dev.omni.gateway.me;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.gateway.problem.Violation;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A customer's click & collect request: the lines they want, checked here so a bad request never reaches
 * inventory-service, and sent on with their profile id and channel {@code click_and_collect}.
 */
@ApplicationScoped
public class ReservationRequests {

    static final int MAX_LINES = 50;
    static final int MAX_QUANTITY = 100;

    public record Line(String sku, String locationId, int quantity) {
    }

    public record Parsed(List<Line> lines, List<Violation> violations) {
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
        return new Parsed(violations.isEmpty() ? List.copyOf(lines) : List.of(), List.copyOf(violations));
    }

    Map<String, Object> forProfile(String profileId, Parsed parsed) {
        return Map.of("profileId", profileId, "channel", "click_and_collect", "lines", parsed.lines());
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
