package dev.omni.attribution.journey;

import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads query parameters of the report, journey and KPI endpoints, collecting every bad one so a single
 * problem+json names them all.
 */
public final class QueryParameters {

    static final int MAX_RANGE_DAYS = 3 * 366;
    static final int MAX_LOOKBACK_DAYS = 365;

    private final List<Violation> violations = new ArrayList<>();

    public static QueryParameters check() {
        return new QueryParameters();
    }

    /**
     * {@code from}/{@code to} as ISO dates ({@code to} then includes that whole UTC day) or instants ({@code to}
     * exclusive); {@code to} defaults to now, {@code from} to 30 days before {@code to}.
     */
    public JourneyWindow window(String from, String to, String lookbackDays, Duration defaultLookback, Instant now) {
        Instant end = instant("to", to, true).orElse(now);
        Instant start = instant("from", from, false).orElse(end.minus(Duration.ofDays(30)));
        int lookback = integer("lookbackDays", lookbackDays, (int) Math.max(1, defaultLookback.toDays()), 1,
                MAX_LOOKBACK_DAYS);
        if (!start.isBefore(end)) {
            violations.add(Violation.query("from", "must be before to (" + end + ")"));
        } else if (Duration.between(start, end).toDays() > MAX_RANGE_DAYS) {
            violations.add(Violation.query("to", "the range spans at most " + MAX_RANGE_DAYS + " days"));
        }
        if (!violations.isEmpty()) {
            return null;
        }
        return new JourneyWindow(start, end, Duration.ofDays(lookback));
    }

    public int integer(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                violations.add(Violation.query(name, "must be between " + min + " and " + max));
            }
            return value;
        } catch (NumberFormatException e) {
            violations.add(Violation.query(name, "must be a whole number"));
            return fallback;
        }
    }

    /** A positive number of days, decimals allowed (e.g. 0.5). */
    public Duration days(String name, String raw, Duration fallback, double max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            double days = Double.parseDouble(raw.trim());
            if (!(days > 0 && days <= max)) {
                violations.add(Violation.query(name, "must be greater than 0 and at most " + (int) max));
                return fallback;
            }
            return Duration.ofMillis(Math.round(days * 86_400_000));
        } catch (NumberFormatException e) {
            violations.add(Violation.query(name, "must be a number of days"));
            return fallback;
        }
    }

    public <T> T choice(String name, String raw, T fallback, Function<String, Optional<T>> parse, String allowed) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        Optional<T> value = parse.apply(raw.trim());
        if (value.isEmpty()) {
            violations.add(Violation.query(name, "unknown " + name + " '" + raw.trim() + "', one of " + allowed));
            return fallback;
        }
        return value.get();
    }

    public String required(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            violations.add(Violation.query(name, "is required"));
        }
        return raw;
    }

    public void add(Violation violation) {
        violations.add(violation);
    }

    /** Throws a 400 problem naming every bad parameter, if any. */
    public void orFail() {
        if (!violations.isEmpty()) {
            throw Problems.badRequest("invalid query parameters: "
                    + String.join(", ", violations.stream().map(Violation::field).toList()), List.copyOf(violations));
        }
    }

    private Optional<Instant> instant(String name, String raw, boolean endOfDay) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String text = raw.trim();
        try {
            if (text.length() == 10) {
                LocalDate date = LocalDate.parse(text);
                return Optional.of((endOfDay ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            violations.add(Violation.query(name, "must be a date (2025-03-01) or an instant (2025-03-01T00:00:00Z)"));
            return Optional.empty();
        }
    }
}
