package dev.omni.console.journey;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A journey's steps drawn as SVG: one box per step in definition order, top to bottom, each with its counts; an arrow
 * to the step right below runs straight down, any other (a branch, a fallback, a jump) runs in its own lane on the
 * right, labelled with why it is taken.
 */
public record JourneyDrawing(List<Box> boxes, List<Edge> edges, int width, int height) {

    static final int LEFT = 20;
    static final int TOP = 16;
    static final int BOX_WIDTH = 560;
    static final int BOX_HEIGHT = 78;
    static final int GAP = 36;
    static final int LANE = 22;

    /** A step, with its counts when the stats were read ({@code counts} null otherwise). */
    public record Box(String id, String type, String channel, String detail, int x, int y, int width, int height,
            Counts counts, boolean ends) {

        public int textX() {
            return x + 10;
        }

        public int line1() {
            return y + 22;
        }

        public int line2() {
            return y + 44;
        }

        public int line3() {
            return y + 66;
        }
    }

    public record Counts(long entered, long sent, long delivered, long opened, long clicked,
            Map<String, Long> suppressed) {

        public long suppressedTotal() {
            return suppressed.values().stream().mapToLong(Long::longValue).sum();
        }

        public boolean anySuppressed() {
            return suppressedTotal() > 0;
        }

        public String suppressedText() {
            StringBuilder text = new StringBuilder();
            suppressed.forEach((reason, n) -> text.append(text.isEmpty() ? "" : ", ").append(reason).append(' ')
                    .append(n));
            return text.toString();
        }
    }

    /** An arrow: {@code path} is the SVG path data, the label sits at (labelX, labelY). */
    public record Edge(String from, String to, String label, String path, int labelX, int labelY, boolean straight) {
    }

    /** From the journey's definition and, if read, its stats ({@code GET /api/journeys/{id}/stats}). */
    public static JourneyDrawing of(JsonNode definition, JsonNode stats) {
        Map<String, Counts> counts = new HashMap<>();
        if (stats != null) {
            for (JsonNode s : stats.path("steps")) {
                Map<String, Long> suppressed = new LinkedHashMap<>();
                s.path("suppressed").fields().forEachRemaining(e -> suppressed.put(e.getKey(), e.getValue().asLong()));
                counts.put(s.path("step").asText(), new Counts(s.path("entered").asLong(), s.path("sent").asLong(),
                        s.path("delivered").asLong(), s.path("opened").asLong(), s.path("clicked").asLong(),
                        suppressed));
            }
        }
        List<JsonNode> steps = new ArrayList<>();
        definition.path("steps").forEach(steps::add);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            index.put(steps.get(i).path("id").asText(), i);
        }
        List<Box> boxes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        int lanes = 0;
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            String id = step.path("id").asText();
            List<String[]> successors = successors(step);
            boxes.add(new Box(id, step.path("type").asText(), text(step, "channel"), detail(step), LEFT, y(i),
                    BOX_WIDTH, BOX_HEIGHT, stats == null ? null : counts.getOrDefault(id,
                            new Counts(0, 0, 0, 0, 0, Map.of())), successors.isEmpty()));
            for (String[] successor : successors) {
                Integer j = index.get(successor[0]);
                if (j == null) {
                    continue;
                }
                if (j == i + 1) {
                    int x = LEFT + BOX_WIDTH / 2;
                    edges.add(new Edge(id, successor[0], successor[1],
                            "M" + x + "," + (y(i) + BOX_HEIGHT) + " V" + (y(j) - 2), x + 6, y(i) + BOX_HEIGHT + 20,
                            true));
                } else {
                    int laneX = LEFT + BOX_WIDTH + 24 + lanes * LANE;
                    lanes++;
                    int y0 = y(i) + BOX_HEIGHT / 2;
                    int y1 = y(j) + BOX_HEIGHT / 2 + 8;
                    edges.add(new Edge(id, successor[0], successor[1],
                            "M" + (LEFT + BOX_WIDTH) + "," + y0 + " H" + laneX + " V" + y1 + " H"
                                    + (LEFT + BOX_WIDTH + 2),
                            LEFT + BOX_WIDTH + 4, y0 - 4, false));
                }
            }
        }
        int width = LEFT + BOX_WIDTH + 24 + lanes * LANE + 120;
        int height = steps.isEmpty() ? 60 : y(steps.size() - 1) + BOX_HEIGHT + TOP;
        return new JourneyDrawing(boxes, edges, width, height);
    }

    /** Where a step goes, each with the reason as the arrow's label. */
    static List<String[]> successors(JsonNode step) {
        List<String[]> next = new ArrayList<>();
        switch (step.path("type").asText()) {
            case "condition" -> {
                add(next, text(step, "then"), "yes");
                add(next, text(step, "else"), "no");
            }
            case "fallback" -> {
                add(next, text(step, "then"), "not " + step.path("unless").asText("reached") + " after "
                        + step.path("after").asText(""));
                add(next, text(step, "next"), step.path("unless").asText("reached"));
            }
            default -> add(next, text(step, "next"), "");
        }
        return next;
    }

    private static void add(List<String[]> next, String to, String label) {
        if (to != null) {
            next.add(new String[] {to, label});
        }
    }

    private static String detail(JsonNode step) {
        return switch (step.path("type").asText()) {
            case "wait" -> "wait " + step.path("duration").asText("");
            case "send" -> "send " + step.path("template").asText("") + " by " + step.path("channel").asText("");
            case "condition" -> {
                JsonNode c = step.path("if");
                yield c.hasNonNull("hasContact") ? "has a " + c.get("hasContact").asText() + " contact?"
                        : c.path("trait").asText("") + " = " + c.path("equals").asText("") + "?";
            }
            case "fallback" -> "if " + step.path("of").asText("") + " not " + step.path("unless").asText("")
                    + " within " + step.path("after").asText("");
            default -> step.path("type").asText();
        };
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static int y(int i) {
        return TOP + i * (BOX_HEIGHT + GAP);
    }
}
