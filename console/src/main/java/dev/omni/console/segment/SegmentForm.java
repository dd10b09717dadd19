package dev.omni.console.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The segment form as the person filled it in, and the definition it stands for in profile-service's format
 * (profile-service/README.md, Segments). The console checks nothing the service checks: the definition goes as it
 * is, and the service's 400 names the field ({@code conditions[1].withinDays}).
 *
 * @param rows condition rows in form order; a row whose type is empty is left out
 */
public record SegmentForm(String name, String description, String match, List<Row> rows) {

    public static final List<String> TRAIT_OPS =
            List.of("eq", "neq", "gt", "gte", "lt", "lte", "in", "contains", "exists", "absent");
    /** {@code none}: the interaction did not happen in the window ({@code happened: false}). */
    public static final List<String> COUNT_OPS = List.of("gte", "lte", "eq", "none");
    static final int EMPTY_ROWS = 3;

    /**
     * One condition. {@code trait}: trait, op, value. {@code location}: country, city. {@code interaction}: event,
     * channel, countOp with count, withinDays.
     */
    public record Row(String type, String trait, String op, String value, String country, String city, String event,
            String channel, String countOp, String count, String withinDays) {

        static Row empty() {
            return new Row("", "", "eq", "", "", "", "", "", "gte", "", "");
        }
    }

    public static SegmentForm blank() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < EMPTY_ROWS; i++) {
            rows.add(Row.empty());
        }
        return new SegmentForm("", "", "all", rows);
    }

    /** Columns of repeated form fields (one value per row, in row order) into rows. */
    public static SegmentForm of(String name, String description, String match, List<String> type, List<String> trait,
            List<String> op, List<String> value, List<String> country, List<String> city, List<String> event,
            List<String> channel, List<String> countOp, List<String> count, List<String> withinDays) {
        List<Row> rows = new ArrayList<>();
        int n = type == null ? 0 : type.size();
        for (int i = 0; i < n; i++) {
            rows.add(new Row(at(type, i), at(trait, i), at(op, i), at(value, i), at(country, i), at(city, i),
                    at(event, i), at(channel, i), at(countOp, i), at(count, i), at(withinDays, i)));
        }
        return new SegmentForm(name == null ? "" : name.trim(), description == null ? "" : description.trim(),
                "any".equals(match) ? "any" : "all", rows);
    }

    /** The definition as {@code POST /api/segments} and {@code /api/segments/preview} take it. */
    public JsonNode definition() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (!name.isEmpty()) {
            body.put("name", name);
        }
        if (!description.isEmpty()) {
            body.put("description", description);
        }
        body.put("match", match);
        ArrayNode conditions = body.putArray("conditions");
        for (Row row : rows) {
            switch (row.type()) {
                case "trait" -> {
                    ObjectNode c = conditions.addObject().put("type", "trait").put("trait", row.trait().trim())
                            .put("op", row.op());
                    if ("in".equals(row.op())) {
                        ArrayNode values = c.putArray("value");
                        for (String v : row.value().split(",")) {
                            if (!v.isBlank()) {
                                values.add(scalar(v.trim()));
                            }
                        }
                    } else if (!"exists".equals(row.op()) && !"absent".equals(row.op())) {
                        c.set("value", scalar(row.value().trim()));
                    }
                }
                case "location" -> {
                    ObjectNode c = conditions.addObject().put("type", "location");
                    if (!row.country().isBlank()) {
                        c.put("country", row.country().trim());
                    }
                    if (!row.city().isBlank()) {
                        c.put("city", row.city().trim());
                    }
                }
                case "interaction" -> {
                    ObjectNode c = conditions.addObject().put("type", "interaction").put("event", row.event().trim());
                    if (!row.channel().isBlank()) {
                        c.put("channel", row.channel().trim());
                    }
                    if (!row.withinDays().isBlank()) {
                        c.set("withinDays", scalar(row.withinDays().trim()));
                    }
                    if ("none".equals(row.countOp())) {
                        c.put("happened", false);
                    } else if (!row.count().isBlank()) {
                        c.putObject("count").put("op", row.countOp()).set("value", scalar(row.count().trim()));
                    }
                }
                default -> {
                    // an empty row: no condition
                }
            }
        }
        return body;
    }

    /** A number or a boolean when it reads as one, else the text: what was typed, for the service to judge. */
    static JsonNode scalar(String text) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (text.equals("true") || text.equals("false")) {
            return f.booleanNode(Boolean.parseBoolean(text));
        }
        if (text.matches("-?(0|[1-9]\\d*)")) {
            try {
                long n = Long.parseLong(text);
                return n == (int) n ? f.numberNode((int) n) : f.numberNode(n);
            } catch (NumberFormatException e) {
                return f.textNode(text);
            }
        }
        if (text.matches("-?(0|[1-9]\\d*)\\.\\d+")) {
            return f.numberNode(new BigDecimal(text));
        }
        return f.textNode(text);
    }

    private static String at(List<String> column, int i) {
        return column != null && i < column.size() && column.get(i) != null ? column.get(i) : "";
    }
}
