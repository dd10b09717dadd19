package dev.omni.inventory.movement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.contracts.stock.MovementKind;
import dev.omni.inventory.Ids;
import dev.omni.inventory.InventoryConfig;
import dev.omni.platform.problem.Violation;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Reads a movement from JSON and checks the rules every movement obeys, naming each field that breaks one. */
@ApplicationScoped
public class MovementParser {

    static final int MAX_TEXT = 200;
    private static final String KINDS = Arrays.toString(MovementKind.values());

    private final InventoryConfig config;

    public MovementParser(InventoryConfig config) {
        this.config = config;
    }

    public record Parsed(MovementRequest request, List<Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    /** @param prefix put before each field name, e.g. {@code [3].} for the fourth movement of a batch */
    public Parsed parse(JsonNode node, String prefix) {
        List<Violation> violations = new ArrayList<>();
        if (node == null || !node.isObject()) {
            violations.add(Violation.body(prefix.isEmpty() ? "body" : prefix + "movement", "a movement object"));
            return new Parsed(null, violations);
        }
        Fields fields = new Fields(node, prefix, violations);
        String movementId = fields.text("movementId", true, MAX_TEXT);
        String kindText = fields.text("kind", true, 20);
        MovementKind kind = null;
        if (kindText != null) {
            try {
                kind = MovementKind.valueOf(kindText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                violations.add(Violation.body(prefix + "kind", "one of " + KINDS));
            }
        }
        String sku = fields.id("sku");
        String locationId = fields.id("locationId");
        Integer quantity = fields.integer("quantity", true);
        Integer expectedOnHand = fields.integer("expectedOnHand", false);
        String transferId = fields.text("transferId", false, MAX_TEXT);
        String source = fields.text("source", false, 100);
        Instant occurredAt = fields.instant("occurredAt");
        if (!violations.isEmpty()) {
            return new Parsed(null, violations);
        }
        MovementRequest request = new MovementRequest(movementId, kind, sku, locationId, quantity, expectedOnHand,
                transferId, source, occurredAt);
        return new Parsed(request, check(request, prefix));
    }

    /** The rules of a movement whose fields have the right types (from JSON, or decoded from Kafka). */
    public List<Violation> check(MovementRequest request, String prefix) {
        List<Violation> violations = new ArrayList<>();
        if (request.movementId() == null || request.movementId().isBlank() || request.movementId().length() > MAX_TEXT) {
            violations.add(Violation.body(prefix + "movementId", "1 to " + MAX_TEXT + " characters"));
        }
        if (request.kind() == null) {
            violations.add(Violation.body(prefix + "kind", "one of " + KINDS));
        }
        if (!Ids.valid(request.sku())) {
            violations.add(Violation.body(prefix + "sku", Ids.MESSAGE));
        }
        if (!Ids.valid(request.locationId())) {
            violations.add(Violation.body(prefix + "locationId", Ids.MESSAGE));
        }
        if (request.kind() != null) {
            quantity(request, prefix, violations);
            boolean transfer = request.kind() == MovementKind.TRANSFER_IN || request.kind() == MovementKind.TRANSFER_OUT;
            if (transfer && (request.transferId() == null || request.transferId().isBlank())) {
                violations.add(Violation.body(prefix + "transferId", "required for both legs of a transfer"));
            }
        }
        return violations;
    }

    private void quantity(MovementRequest request, String prefix, List<Violation> violations) {
        int max = config.limits().quantity();
        int quantity = request.quantity();
        String problem = switch (request.kind()) {
            case ADJUSTMENT -> quantity == 0 || Math.abs((long) quantity) > max
                    ? "an adjustment is a non-zero change of at most " + max + " either way" : null;
            case COUNT -> quantity < 0 || quantity > max ? "a count is the counted on-hand, 0 to " + max : null;
            default -> quantity < 1 || quantity > max ? "must be 1 to " + max + " (the kind gives the direction)" : null;
        };
        if (problem != null) {
            violations.add(Violation.body(prefix + "quantity", problem));
        }
    }

    /** Typed access to the fields of one JSON object, collecting a violation for each wrong one. */
    private record Fields(JsonNode node, String prefix, List<Violation> violations) {

        String text(String name, boolean required, int maxLength) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                if (required) {
                    violations.add(Violation.body(prefix + name, "must not be null"));
                }
                return null;
            }
            if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > maxLength) {
                violations.add(Violation.body(prefix + name, "a string of 1 to " + maxLength + " characters"));
                return null;
            }
            return value.asText();
        }

        String id(String name) {
            String value = text(name, true, 100);
            if (value != null && !Ids.valid(value)) {
                violations.add(Violation.body(prefix + name, Ids.MESSAGE));
                return null;
            }
            return value;
        }

        Integer integer(String name, boolean required) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                if (required) {
                    violations.add(Violation.body(prefix + name, "must not be null"));
                }
                return null;
            }
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                violations.add(Violation.body(prefix + name, "a whole number"));
                return null;
            }
            return value.intValue();
        }

        Instant instant(String name) {
            String value = text(name, false, 64);
            if (value == null) {
                return null;
            }
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                violations.add(Violation.body(prefix + name, "an ISO-8601 instant such as 2026-11-05T15:24:31Z"));
                return null;
            }
        }
    }
}
