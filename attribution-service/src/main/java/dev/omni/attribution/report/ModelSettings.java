package dev.omni.attribution.report;

import dev.omni.attribution.journey.Dimension;
import dev.omni.attribution.model.AttributionModel;
import dev.omni.attribution.model.HeuristicModel;
import dev.omni.attribution.model.MarkovModel;
import dev.omni.attribution.model.ShapleyModel;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tunable parameters of the models for one request.
 *
 * @param order          Markov order, 1..3
 * @param halfLife       time-decay half-life
 * @param shapleyExact   most channels for exact Shapley values
 */
public record ModelSettings(int order, Duration halfLife, int shapleyExact) {

    public AttributionModel create(ModelName model, Dimension dimension) {
        return switch (model) {
            case FIRST -> HeuristicModel.firstTouch();
            case LAST -> HeuristicModel.lastTouch();
            case LAST_NON_DIRECT -> HeuristicModel.lastNonDirect(dimension.directLabels());
            case LINEAR -> HeuristicModel.linear();
            case POSITION_BASED -> HeuristicModel.positionBased();
            case TIME_DECAY -> HeuristicModel.timeDecay(halfLife);
            case MARKOV -> new MarkovModel(order);
            case SHAPLEY -> new ShapleyModel(shapleyExact);
        };
    }

    /** The parameters that shaped {@code model}'s result, echoed in reports. */
    public Map<String, Object> describe(ModelName model) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (model == ModelName.MARKOV) {
            parameters.put("order", order);
        }
        if (model == ModelName.TIME_DECAY) {
            parameters.put("halfLifeDays", halfLife.toMillis() / 86_400_000.0);
        }
        return parameters;
    }
}
