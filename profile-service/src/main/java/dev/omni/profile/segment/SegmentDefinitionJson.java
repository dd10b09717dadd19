package dev.omni.profile.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omni.platform.problem.Violation;
import dev.omni.profile.segment.SegmentDefinition.Condition;
import dev.omni.profile.segment.SegmentDefinition.Count;
import dev.omni.profile.segment.SegmentDefinition.InteractionCondition;
import dev.omni.profile.segment.SegmentDefinition.LocationCondition;
import dev.omni.profile.segment.SegmentDefinition.Match;
import dev.omni.profile.segment.SegmentDefinition.Near;
import dev.omni.profile.segment.SegmentDefinition.Op;
import dev.omni.profile.segment.SegmentDefinition.TraitCondition;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a segment definition from JSON, naming every invalid field ({@code conditions[1].count.op}) so one request
 * reports all of them, and writes it back in the same shape.
 */
final class SegmentDefinitionJson {

    static final int MAX_CONDITIONS = 20;
    static final Duration MAX_WINDOW = Duration.ofDays(3650);
    private static final Set<Op> COUNT_OPS = EnumSet.of(Op.EQ, Op.NEQ, Op.GT, Op.GTE, Op.LT, Op.LTE);
    private static final String CHANNELS = "web|app|store|pos|call_centre|email|sms|push|chat|social|ad";

    record Parsed(SegmentDefinition definition, List<Violation> violations) {
    }

    private final List<Violation> violations = new ArrayList<>();

    private SegmentDefinitionJson() {
    }

    static Parsed parse(JsonNode body) {
        SegmentDefinitionJson parser = new SegmentDefinitionJson();
        SegmentDefinition definition = parser.definition(body);
        return new Parsed(parser.violations.isEmpty() ? definition : null, List.copyOf(parser.violations));
    }

    private SegmentDefinition definition(JsonNode body) {
        Match match = Match.ALL;
        JsonNode matchNode = body.get("match");
        if (matchNode != null && !matchNode.isNull()) {
            String text = matchNode.asText("").toUpperCase(Locale.ROOT);
            if (!matchNode.isTextual() || !Set.of("ALL", "ANY").contains(text)) {
                fail("match", "all or any");
            } else {
                match = Match.valueOf(text);
            }
        }
        JsonNode list = body.get("conditions");
        List<Condition> conditions = new ArrayList<>();
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_CONDITIONS) {
            fail("conditions", "a list of 1 to " + MAX_CONDITIONS + " conditions");
        } else {
            for (int i = 0; i < list.size(); i++) {
                Condition condition = condition(list.get(i), "conditions[" + i + "].");
                if (condition != null) {
                    conditions.add(condition);
                }
            }
        }
        return new SegmentDefinition(match, conditions);
    }

    private Condition condition(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            fail(at.substring(0, at.length() - 1), "a condition object");
            return null;
        }
        String type = node.path("type").asText("");
        return switch (type) {
            case "trait" -> trait(node, at);
            case "location" -> location(node, at);
            case "interaction" -> interaction(node, at);
            default -> {
                fail(at + "type", "trait, location or interaction");
                yield null;
            }
        };
    }

    private TraitCondition trait(JsonNode node, String at) {
        String trait = node.path("trait").asText("");
        if (!trait.matches("[A-Za-z0-9_-]{1,100}(\\.[A-Za-z0-9_-]{1,100}){0,5}")) {
            fail(at + "trait", "a trait name, dotted for nested traits (e.g. address.city)");
        }
        Op op = op(node.path("op"), at + "op", EnumSet.allOf(Op.class));
        JsonNode value = node.get("value");
        Object expected = null;
        if (op != null && op != Op.EXISTS && op != Op.ABSENT) {
            if (value == null || value.isNull() || value.isObject()) {
                fail(at + "value", "required for " + op.wire() + ": a string, number, boolean or list");
            } else if (op == Op.IN && !value.isArray()) {
                fail(at + "value", "a list for in");
            } else if ((op == Op.GT || op == Op.GTE || op == Op.LT || op == Op.LTE)
                    && !(value.isNumber() || value.isTextual())) {
                fail(at + "value", "a number or a string (e.g. an ISO date) for " + op.wire());
            } else {
                expected = TraitValues.plain(value);
            }
        }
        return new TraitCondition(trait, op, expected);
    }

    private LocationCondition location(JsonNode node, String at) {
        String country = text(node, "country", at, "[A-Za-z]{2}", "an ISO 3166 country code, e.g. FR");
        String city = text(node, "city", at, ".{1,100}", "1 to 100 characters");
        Near near = null;
        JsonNode nearNode = node.get("near");
        if (nearNode != null && !nearNode.isNull()) {
            double latitude = number(nearNode, "latitude", at + "near.", -90, 90);
            double longitude = number(nearNode, "longitude", at + "near.", -180, 180);
            double radius = number(nearNode, "radiusKm", at + "near.", 0.001, 20_000);
            near = new Near(latitude, longitude, radius);
        }
        if (country == null && city == null && near == null) {
            fail(at + "country", "a location condition needs country, city or near");
        }
        return new LocationCondition(country == null ? null : country.toUpperCase(Locale.ROOT), city, near);
    }

    private InteractionCondition interaction(JsonNode node, String at) {
        String event = node.path("event").asText("");
        if (!event.matches("[A-Za-z0-9_.:-]{1,200}")) {
            fail(at + "event", "the interaction's name, e.g. order_completed");
        }
        String channel = text(node, "channel", at, CHANNELS, "a channel: " + CHANNELS.replace("|", ", "));
        Duration within = within(node, at);
        JsonNode countNode = node.get("count");
        JsonNode happened = node.get("happened");
        Count count = new Count(Op.GTE, 1);
        if (countNode != null && happened != null) {
            fail(at + "happened", "give count or happened, not both");
        } else if (happened != null) {
            if (!happened.isBoolean()) {
                fail(at + "happened", "true or false");
            } else if (!happened.booleanValue()) {
                count = new Count(Op.LTE, 0);
            }
        } else if (countNode != null) {
            Op op = op(countNode.path("op"), at + "count.op", COUNT_OPS);
            JsonNode value = countNode.get("value");
            if (value == null || !value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
                fail(at + "count.value", "a whole number, 0 or more");
            } else if (op != null) {
                count = new Count(op, value.asLong());
            }
        }
        return new InteractionCondition(event, channel, within, count);
    }

    private Duration within(JsonNode node, String at) {
        JsonNode within = node.get("within");
        JsonNode days = node.get("withinDays");
        if (within != null && days != null) {
            fail(at + "within", "give within or withinDays, not both");
            return null;
        }
        Duration duration = null;
        if (days != null) {
            if (!days.isIntegralNumber() || days.asLong() < 1) {
                fail(at + "withinDays", "a whole number of days, 1 or more");
                return null;
            }
            duration = Duration.ofDays(days.asLong());
        } else if (within != null) {
            try {
                duration = Duration.parse(within.asText(""));
            } catch (DateTimeParseException e) {
                fail(at + "within", "an ISO-8601 duration, e.g. P30D or PT12H");
                return null;
            }
        }
        if (duration != null && (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_WINDOW) > 0)) {
            fail(at + (days != null ? "withinDays" : "within"), "more than 0 and at most 3650 days");
            return null;
        }
        return duration;
    }

    private Op op(JsonNode node, String field, Set<Op> allowed) {
        String text = node.asText("").toUpperCase(Locale.ROOT);
        try {
            Op op = Op.valueOf(text);
            if (allowed.contains(op)) {
                return op;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        fail(field, "one of " + String.join(", ", allowed.stream().map(Op::wire).toList()));
        return null;
    }

    private String text(JsonNode node, String name, String at, String pattern, String message) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !value.asText().matches(pattern)) {
            fail(at + name, message);
            return null;
        }
        return value.asText();
    }

    private double number(JsonNode node, String name, String at, double min, double max) {
        JsonNode value = node.get(name);
        if (value == null || !value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            fail(at + name, "a number from " + min + " to " + max);
            return 0;
        }
        return value.asDouble();
    }

    static ObjectNode write(SegmentDefinition definition) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("match", definition.match().wire());
        ArrayNode conditions = root.putArray("conditions");
        for (Condition condition : definition.conditions()) {
            ObjectNode node = conditions.addObject();
            if (condition instanceof TraitCondition t) {
                node.put("type", "trait").put("trait", t.trait()).put("op", t.op().wire());
                if (t.value() != null) {
                    node.set("value", TraitValues.json(t.value()));
                }
            } else if (condition instanceof LocationCondition l) {
                node.put("type", "location");
                if (l.country() != null) {
                    node.put("country", l.country());
                }
                if (l.city() != null) {
                    node.put("city", l.city());
                }
                if (l.near() != null) {
                    node.putObject("near").put("latitude", l.near().latitude())
                            .put("longitude", l.near().longitude()).put("radiusKm", l.near().radiusKm());
                }
            } else if (condition instanceof InteractionCondition i) {
                node.put("type", "interaction").put("event", i.event());
                if (i.channel() != null) {
                    node.put("channel", i.channel());
                }
                if (i.within() != null) {
                    node.put("within", iso(i.within()));
                }
                node.putObject("count").put("op", i.count().op().wire()).put("value", i.count().value());
            }
        }
        return root;
    }

    /** P30D rather than PT720H when the window is whole days. */
    private static String iso(Duration duration) {
        return duration.toSeconds() % 86_400 == 0 && duration.toNanosPart() == 0
                ? "P" + duration.toDays() + "D" : duration.toString();
    }

    private void fail(String field, String message) {
        violations.add(Violation.body(field, message));
    }
}
