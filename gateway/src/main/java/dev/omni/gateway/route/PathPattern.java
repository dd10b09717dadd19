package dev.omni.gateway.route;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path template of the route table: literal segments, {@code {name}} for exactly one segment, and a trailing
 * {@code **} for any number of further segments (none included), e.g. {@code /api/profiles/{profileId}/cart/**}.
 */
public final class PathPattern {

    private static final String TAIL = "**";

    private final String template;
    private final List<String> segments;
    private final boolean tail;

    private PathPattern(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with /: " + template);
        }
        List<String> parts = split(template);
        this.tail = !parts.isEmpty() && parts.get(parts.size() - 1).equals(TAIL);
        this.segments = tail ? parts.subList(0, parts.size() - 1) : parts;
        if (segments.contains(TAIL)) {
            throw new IllegalArgumentException("** may only end a template: " + template);
        }
        this.template = template;
    }

    public static PathPattern of(String template) {
        return new PathPattern(template);
    }

    /** The path parameters when {@code path} (already normalised: no dot segments) matches. */
    public Optional<Map<String, String>> match(String path) {
        List<String> parts = split(path);
        if (parts.size() < segments.size() || (!tail && parts.size() != segments.size())) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String expected = segments.get(i);
            String actual = parts.get(i);
            if (isParameter(expected)) {
                if (actual.isEmpty()) {
                    return Optional.empty();
                }
                params.put(expected.substring(1, expected.length() - 1), actual);
            } else if (!expected.equals(actual)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /** A concrete path this template matches, parameters filled from {@code values} (for tests and documentation). */
    public String example(Map<String, String> values) {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/').append(isParameter(segment)
                    ? values.getOrDefault(segment.substring(1, segment.length() - 1), "x") : segment);
        }
        return path.toString();
    }

    public String template() {
        return template;
    }

    public List<String> parameters() {
        return segments.stream().filter(PathPattern::isParameter).map(s -> s.substring(1, s.length() - 1)).toList();
    }

    public boolean hasTail() {
        return tail;
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    /** Segments after the leading slash; a single trailing slash is ignored. */
    private static List<String> split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("/", -1));
    }

    @Override
    public String toString() {
        return template;
    }
}
