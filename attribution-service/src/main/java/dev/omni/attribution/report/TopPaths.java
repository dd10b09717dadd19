package dev.omni.attribution.report;

import dev.omni.attribution.model.Journeys;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the ordered paths of the converting journeys the models read: a journey's labels with consecutive repeats
 * of one label collapsed ({@code email email web} is {@code email web}), then cut to its last {@link #MAX_STEPS}
 * steps — the touches nearest the conversion, as the lookback also drops the oldest ones.
 */
final class TopPaths {

    static final int MAX_STEPS = 8;

    private static final Comparator<PathReport.Path> MOST_COMMON = Comparator
            .comparingLong(PathReport.Path::conversions).reversed()
            .thenComparing(Comparator.comparingDouble(PathReport.Path::revenue).reversed())
            .thenComparing(path -> String.join("\u001f", path.channels()));

    private TopPaths() {
    }

    /** The {@code limit} paths with the most conversions (then the most revenue, then by name). */
    static List<PathReport.Path> of(Journeys journeys, int limit) {
        Map<List<Integer>, Tally> byPath = new HashMap<>();
        for (int j = 0; j < journeys.size(); j++) {
            if (!journeys.converted(j) || journeys.length(j) == 0) {
                continue;
            }
            byPath.computeIfAbsent(collapsed(journeys, j), path -> new Tally()).add(journeys.value(j));
        }
        List<PathReport.Path> paths = new ArrayList<>(byPath.size());
        byPath.forEach((ids, tally) -> paths.add(new PathReport.Path(
                ids.stream().map(journeys.channels()::get).toList(), tally.conversions,
                tally.revenue.setScale(2, RoundingMode.HALF_EVEN).doubleValue())));
        paths.sort(MOST_COMMON);
        return List.copyOf(paths.subList(0, Math.min(limit, paths.size())));
    }

    private static List<Integer> collapsed(Journeys journeys, int journey) {
        List<Integer> steps = new ArrayList<>();
        for (int i = journeys.start(journey); i < journeys.end(journey); i++) {
            int channel = journeys.touch(i);
            if (steps.isEmpty() || steps.get(steps.size() - 1) != channel) {
                steps.add(channel);
            }
        }
        return List.copyOf(steps.subList(Math.max(0, steps.size() - MAX_STEPS), steps.size()));
    }

    private static final class Tally {
        private long conversions;
        private BigDecimal revenue = BigDecimal.ZERO;

        void add(double value) {
            conversions++;
            revenue = revenue.add(BigDecimal.valueOf(value));
        }
    }
}
