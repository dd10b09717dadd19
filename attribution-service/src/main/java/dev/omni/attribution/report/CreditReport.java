package dev.omni.attribution.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Credit per key for one model over the journeys ending in {@code [from, to)}.
 *
 * @param uncreditedConversions conversions with no touch in their lookback: counted, credited to nobody
 */
public record CreditReport(String model, String method, Map<String, Object> parameters, String dimension,
        Instant from, Instant to, long lookbackDays, int journeys, int convertingJourneys, double conversions,
        double value, long uncreditedConversions, List<Credit> credits) {
}
