package dev.omni.attribution.report;

import dev.omni.attribution.model.MarkovModel;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The fitted Markov chain: states, transitions (sparse, and as a from → to → probability matrix), the chain's
 * conversion probability, each key's removal effect and the credit they give.
 */
public record MarkovReport(int order, String dimension, Instant from, Instant to, long lookbackDays, int journeys,
        double conversions, double value, double conversionProbability, double valuePerJourney, String solver,
        List<String> states, List<MarkovModel.Transition> transitions, Map<String, Map<String, Double>> matrix,
        List<RemovalEffect> removalEffects, List<Credit> credits) {

    /** @param conversions removal effect on the conversion probability; value: on the value per journey */
    public record RemovalEffect(String key, double conversions, double value) {
    }
}
