package dev.omni.attribution.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Several models side by side over the same journeys: per key, each model's credit. */
public record ComparisonReport(String dimension, Instant from, Instant to, long lookbackDays, List<String> models,
        Map<String, String> methods, int journeys, double conversions, double value, List<Row> rows) {

    /** @param credits model name → that model's credit for the key */
    public record Row(String key, Map<String, Share> credits) {
    }

    public record Share(double conversions, double value) {
    }
}
