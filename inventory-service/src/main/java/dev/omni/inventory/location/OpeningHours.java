package dev.omni.inventory.location;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A week of opening ranges in the location's local time: {@code "10:00-20:00"}, several ranges separated by commas
 * ({@code "10:00-13:00,14:00-19:00"}), or null/absent for a closed day.
 */
public final class OpeningHours {

    /** How far ahead a pickup is looked for before a location counts as closed for good. */
    private static final int HORIZON_DAYS = 14;

    private final Map<DayOfWeek, List<Range>> week;

    private OpeningHours(Map<DayOfWeek, List<Range>> week) {
        this.week = week;
    }

    public record Range(LocalTime opens, LocalTime closes) {
    }

    /**
     * @throws IllegalArgumentException naming the day, e.g. {@code "FUNDAY: not a day of the week"}
     */
    public static OpeningHours parse(Map<String, String> days) {
        Map<DayOfWeek, List<Range>> week = new EnumMap<>(DayOfWeek.class);
        if (days == null) {
            return new OpeningHours(week);
        }
        days.forEach((day, ranges) -> {
            DayOfWeek dayOfWeek = day(day).orElseThrow(() -> new IllegalArgumentException(
                    day + ": not a day of the week (MONDAY..SUNDAY)"));
            if (ranges != null && !ranges.isBlank()) {
                week.put(dayOfWeek, ranges(day, ranges));
            }
        });
        return new OpeningHours(week);
    }

    /** The form clients read: upper-case day names, every day present, null when closed. */
    public static Map<String, String> normalise(Map<String, String> days) {
        OpeningHours hours = parse(days);
        Map<String, String> normalised = new LinkedHashMap<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            normalised.put(day.name(), hours.text(day));
        }
        return normalised;
    }

    /**
     * The form stored: open days only. A JSON column holding null values would never equal its own snapshot after a
     * round trip, so Hibernate would rewrite the row in every transaction that loads it.
     */
    public static Map<String, String> compact(Map<String, String> days) {
        OpeningHours hours = parse(days);
        Map<String, String> compact = new LinkedHashMap<>();
        hours.week.keySet().forEach(day -> compact.put(day.name(), hours.text(day)));
        return compact;
    }

    private String text(DayOfWeek day) {
        List<Range> ranges = week.get(day);
        return ranges == null ? null : String.join(",", ranges.stream().map(r -> r.opens() + "-" + r.closes()).toList());
    }

    private static Optional<DayOfWeek> day(String name) {
        try {
            return Optional.of(DayOfWeek.valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static List<Range> ranges(String day, String text) {
        List<Range> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] times = part.trim().split("-");
            if (times.length != 2) {
                throw new IllegalArgumentException(day + ": '" + part.trim() + "' is not HH:mm-HH:mm");
            }
            try {
                LocalTime opens = LocalTime.parse(times[0].trim());
                LocalTime closes = LocalTime.parse(times[1].trim());
                if (!closes.isAfter(opens)) {
                    throw new IllegalArgumentException(day + ": '" + part.trim() + "' closes before it opens");
                }
                ranges.add(new Range(opens, closes));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(day + ": '" + part.trim() + "' is not HH:mm-HH:mm", e);
            }
        }
        ranges.sort(Comparator.comparing(Range::opens));
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i).opens().isBefore(ranges.get(i - 1).closes())) {
                throw new IllegalArgumentException(day + ": ranges overlap");
            }
        }
        return ranges;
    }

    public boolean closedAllWeek() {
        return week.isEmpty();
    }

    /**
     * The first moment, at or after {@code from}, by which {@code work} of opening time has passed: staff prepare
     * a pickup only while the location is open. Empty when the location does not open within two weeks.
     */
    public Optional<ZonedDateTime> readyAfter(ZonedDateTime from, Duration work) {
        Duration remaining = work;
        LocalDate date = from.toLocalDate();
        for (int day = 0; day <= HORIZON_DAYS; day++, date = date.plusDays(1)) {
            for (Range range : week.getOrDefault(date.getDayOfWeek(), List.of())) {
                ZonedDateTime opens = date.atTime(range.opens()).atZone(from.getZone());
                ZonedDateTime closes = date.atTime(range.closes()).atZone(from.getZone());
                if (!closes.isAfter(from)) {
                    continue;
                }
                ZonedDateTime start = opens.isAfter(from) ? opens : from;
                Duration open = Duration.between(start, closes);
                if (open.compareTo(remaining) >= 0) {
                    return Optional.of(start.plus(remaining));
                }
                remaining = remaining.minus(open);
            }
        }
        return Optional.empty();
    }
}
