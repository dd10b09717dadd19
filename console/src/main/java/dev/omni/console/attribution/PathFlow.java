package dev.omni.console.attribution;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The most common channel paths to conversion (attribution-service's {@code /api/reports/paths}) as a Sankey: nodes
 * are qualified by their position ({@code "1 · ad"}, {@code "2 · email"}, …, {@code "conversion"}), so the same
 * channel twice in a path is two nodes and the graph stays acyclic; a link carries the conversions of every path that
 * goes that way.
 */
public record PathFlow(List<String> nodes, List<Link> links, List<Path> paths, double conversions) {

    public static final String CONVERSION = "conversion";

    public record Link(String source, String target, double value) {
    }

    /** One path as the table under the chart shows it. */
    public record Path(List<String> channels, double conversions, double revenue) {

        /** The channels joined by commas, for the table row's {@code data-path}. */
        public String key() {
            return String.join(",", channels);
        }

        public String label() {
            return String.join(" → ", channels);
        }
    }

    public static String node(int position, String channel) {
        return position + " · " + channel;
    }

    public static PathFlow of(JsonNode report) {
        Set<String> nodes = new LinkedHashSet<>();
        Map<List<String>, Double> weights = new LinkedHashMap<>();
        List<Path> paths = new ArrayList<>();
        for (JsonNode path : report.path("paths")) {
            List<String> channels = new ArrayList<>();
            path.path("channels").forEach(c -> channels.add(c.asText()));
            double conversions = path.path("conversions").asDouble();
            paths.add(new Path(List.copyOf(channels), conversions, path.path("revenue").asDouble()));
            if (channels.isEmpty() || conversions <= 0) {
                continue;
            }
            List<String> chain = new ArrayList<>();
            for (int i = 0; i < channels.size(); i++) {
                chain.add(node(i + 1, channels.get(i)));
            }
            chain.add(CONVERSION);
            nodes.addAll(chain);
            for (int i = 0; i + 1 < chain.size(); i++) {
                weights.merge(List.of(chain.get(i), chain.get(i + 1)), conversions, Double::sum);
            }
        }
        List<Link> links = new ArrayList<>();
        weights.forEach((ends, value) -> links.add(new Link(ends.get(0), ends.get(1), value)));
        return new PathFlow(List.copyOf(nodes), links, paths, report.path("conversions").asDouble());
    }
}
