package dev.omni.gateway.stock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.contracts.stock.MovementKind;
import dev.omni.contracts.stock.StockMovementRecorded;
import dev.omni.gateway.problem.Violation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a partner's movements (one object, or an array of them) into {@link StockMovementRecorded}s, or lists every
 * field that is wrong, with its path ({@code [3].quantity}), so a batch is accepted whole or not at all.
 */
final class StockMovementParser {

    private static final int MAX_ID = 128;
    /** No blanks and no {@code @}: sku and location form the record key {@code sku@locationId}. */
    private static final Pattern KEY_PART = Pattern.compile("[^\\s@]{1,64}");
    private static final String KINDS = Arrays.toString(MovementKind.values());

    private final int maxBatch;
    private final Duration maxClockSkew;
    private final Clock clock;

    StockMovementParser(int maxBatch, Duration maxClockSkew, Clock clock) {
        this.maxBatch = maxBatch;
        this.maxClockSkew = maxClockSkew;
        this.clock = clock;
    }

    record Result(List<StockMovementRecorded> movements, List<Violation> violations) {
        boolean valid() {
            return violations.isEmpty();
        }
    }

    /** @param source the partner's client id, recorded as the movement's {@code source} */
    Result parse(JsonNode body, String source) {
        List<Violation> violations = new ArrayList<>();
        List<StockMovementRecorded> movements = new ArrayList<>();
        if (body == null || body.isNull() || body.isMissingNode()) {
            violations.add(Violation.body("", "a movement or an array of movements is required"));
        } else if (body.isArray()) {
            if (body.isEmpty()) {
                violations.add(Violation.body("", "the batch is empty"));
            } else if (body.size() > maxBatch) {
                violations.add(Violation.body("", "a batch holds at most " + maxBatch + " movements, not " + body.size()));
            } else {
                Map<String, Integer> firstIndexOfId = new HashMap<>();
                for (int i = 0; i < body.size(); i++) {
                    String prefix = "[" + i + "].";
                    StockMovementRecorded movement = movement(body.get(i), prefix, source, violations);
                    if (movement != null) {
                        Integer first = firstIndexOfId.putIfAbsent(movement.movementId(), i);
                        if (first != null) {
                            violations.add(Violation.body(prefix + "movementId", "repeats [" + first + "].movementId"));
                        }
                        movements.add(movement);
                    }
                }
            }
        } else {
            StockMovementRecorded movement = movement(body, "", source, violations);
            if (movement != null) {
                movements.add(movement);
            }
        }
        return new Result(violations.isEmpty() ? List.copyOf(movements) : List.of(), List.copyOf(violations));
    }

    private StockMovementRecorded movement(JsonNode node, String prefix, String source, List<Violation> violations) {
        if (!node.isObject()) {
            violations.add(Violation.body(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1),
                    "must be a movement object"));
            return null;
        }
        int before = violations.size();
        String movementId = text(node, prefix, "movementId", true, violations);
        if (movementId != null && movementId.length() > MAX_ID) {
            violations.add(Violation.body(prefix + "movementId", "is longer than " + MAX_ID + " characters"));
        }
        MovementKind kind = kind(node, prefix, violations);
        String sku = keyPart(node, prefix, "sku", violations);
        String locationId = keyPart(node, prefix, "locationId", violations);
        Integer quantity = integer(node, prefix, "quantity", true, violations);
        if (quantity != null && kind != null) {
            checkQuantity(kind, quantity, prefix, violations);
        }
        Integer expectedOnHand = integer(node, prefix, "expectedOnHand", false, violations);
        if (expectedOnHand != null && expectedOnHand < 0) {
            violations.add(Violation.body(prefix + "expectedOnHand", "must not be negative"));
        }
        String transferId = text(node, prefix, "transferId", false, violations);
        boolean transfer = kind == MovementKind.TRANSFER_IN || kind == MovementKind.TRANSFER_OUT;
        if (transfer && transferId == null && node.get("transferId") == null) {
            violations.add(Violation.body(prefix + "transferId", "a transfer leg needs the id linking both legs"));
        }
        Instant occurredAt = instant(node, prefix, violations);
        if (violations.size() > before) {
            return null;
        }
        return new StockMovementRecorded(movementId, kind, sku, locationId, quantity, expectedOnHand, transferId,
                source, occurredAt);
    }

    private static void checkQuantity(MovementKind kind, int quantity, String prefix, List<Violation> violations) {
        String field = prefix + "quantity";
        switch (kind) {
            case ADJUSTMENT -> {
                if (quantity == 0) {
                    violations.add(Violation.body(field, "an adjustment must change the stock (not 0)"));
                }
            }
            case COUNT -> {
                if (quantity < 0) {
                    violations.add(Violation.body(field, "a count must not be negative"));
                }
            }
            default -> {
                if (quantity <= 0) {
                    violations.add(Violation.body(field, "must be positive for " + kind));
                }
            }
        }
    }

    private static MovementKind kind(JsonNode node, String prefix, List<Violation> violations) {
        String value = text(node, prefix, "kind", true, violations);
        if (value == null) {
            return null;
        }
        try {
            return MovementKind.valueOf(value);
        } catch (IllegalArgumentException e) {
            violations.add(Violation.body(prefix + "kind", "must be one of " + KINDS));
            return null;
        }
    }

    private static String keyPart(JsonNode node, String prefix, String field, List<Violation> violations) {
        String value = text(node, prefix, field, true, violations);
        if (value != null && !KEY_PART.matcher(value).matches()) {
            violations.add(Violation.body(prefix + field, "must be 1 to 64 characters without blanks or @"));
            return null;
        }
        return value;
    }

    private static String text(JsonNode node, String prefix, String field, boolean required,
            List<Violation> violations) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(Violation.body(prefix + field, "is required"));
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            violations.add(Violation.body(prefix + field, "must be a non-blank string"));
            return null;
        }
        return value.asText();
    }

    private static Integer integer(JsonNode node, String prefix, String field, boolean required,
            List<Violation> violations) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(Violation.body(prefix + field, "is required"));
            }
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            violations.add(Violation.body(prefix + field, "must be a whole number"));
            return null;
        }
        return value.intValue();
    }

    private Instant instant(JsonNode node, String prefix, List<Violation> violations) {
        JsonNode value = node.get("occurredAt");
        Instant now = clock.instant();
        if (value == null || value.isNull()) {
            return now;
        }
        String field = prefix + "occurredAt";
        if (!value.isTextual()) {
            violations.add(Violation.body(field, "must be an ISO-8601 instant, e.g. 2026-03-14T09:26:53Z"));
            return null;
        }
        try {
            Instant at = Instant.parse(value.asText());
            if (at.isAfter(now.plus(maxClockSkew))) {
                violations.add(Violation.body(field, "is in the future"));
                return null;
            }
            return at;
        } catch (DateTimeParseException e) {
            violations.add(Violation.body(field, "must be an ISO-8601 instant, e.g. 2026-03-14T09:26:53Z"));
            return null;
        }
    }
}
