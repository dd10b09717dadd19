package dev.omni.profile.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.omni.profile.segment.SegmentDefinition.Op;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Trait values as JSON gives them (strings, numbers, booleans, lists, nested objects) and how conditions compare them. */
final class TraitValues {

    private TraitValues() {
    }

    /** A condition's value: String, BigDecimal, Boolean or a List of those. */
    static Object plain(JsonNode node) {
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(plain(item)));
            return items;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }

    static JsonNode json(Object value) {
        JsonNodeFactory factory = JsonNodeFactory.instance;
        if (value instanceof List<?> list) {
            ArrayNode array = factory.arrayNode();
            list.forEach(item -> array.add(json(item)));
            return array;
        }
        if (value instanceof BigDecimal number) {
            return factory.numberNode(number);
        }
        if (value instanceof Boolean bool) {
            return factory.booleanNode(bool);
        }
        return factory.textNode(String.valueOf(value));
    }

    /** The trait at a dotted path, or null. */
    static Object at(Map<String, Object> traits, String path) {
        Object current = traits;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    static boolean holds(Object actual, Op op, Object expected) {
        return switch (op) {
            case EXISTS -> actual != null;
            case ABSENT -> actual == null;
            case EQ -> same(actual, expected);
            case NEQ -> !same(actual, expected);
            case IN -> expected instanceof Collection<?> options && options.stream().anyMatch(o -> same(actual, o));
            case CONTAINS -> contains(actual, expected);
            case GT, GTE, LT, LTE -> ordered(actual, op, expected);
        };
    }

    private static boolean ordered(Object actual, Op op, Object expected) {
        Integer order = compare(actual, expected);
        if (order == null) {
            return false;
        }
        return switch (op) {
            case GT -> order > 0;
            case GTE -> order >= 0;
            case LT -> order < 0;
            default -> order <= 0;
        };
    }

    private static boolean same(Object actual, Object expected) {
        if (actual == null || expected == null) {
            return actual == expected;
        }
        BigDecimal a = number(actual);
        BigDecimal e = number(expected);
        if (a != null && e != null) {
            return a.compareTo(e) == 0;
        }
        return String.valueOf(actual).equals(String.valueOf(expected));
    }

    private static boolean contains(Object actual, Object expected) {
        if (actual instanceof Collection<?> items) {
            return items.stream().anyMatch(item -> same(item, expected));
        }
        return actual instanceof String text && expected != null
                && text.toLowerCase(Locale.ROOT).contains(String.valueOf(expected).toLowerCase(Locale.ROOT));
    }

    /** Numbers numerically, strings (ISO dates among them) alphabetically; null when they do not compare. */
    private static Integer compare(Object actual, Object expected) {
        if (actual == null || expected == null) {
            return null;
        }
        BigDecimal a = number(actual);
        BigDecimal e = number(expected);
        if (a != null && e != null) {
            return Integer.signum(a.compareTo(e));
        }
        if (actual instanceof String text && expected instanceof String other) {
            return Integer.signum(text.compareTo(other));
        }
        return null;
    }

    private static BigDecimal number(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        return null;
    }
}
