package dev.omni.attribution.report;

import dev.omni.attribution.AttributionConfig;
import dev.omni.attribution.journey.Dimension;
import dev.omni.attribution.journey.JourneyWindow;
import dev.omni.attribution.journey.QueryParameters;
import dev.omni.attribution.model.MarkovModel;

import java.time.Instant;

/** What every report is computed over: a window of journeys, a dimension, and the models' parameters. */
public record ReportRequest(JourneyWindow window, Dimension dimension, ModelSettings settings) {

    static final double MAX_HALF_LIFE_DAYS = 365;

    /** Reads the shared query parameters into {@code parameters}; null when any is bad. */
    public static ReportRequest parse(QueryParameters parameters, AttributionConfig config, String from, String to,
            String lookbackDays, String dimension, String order, String halfLifeDays) {
        JourneyWindow window = parameters.window(from, to, lookbackDays, config.lookback(), Instant.now());
        Dimension chosen = parameters.choice("dimension", dimension, Dimension.CHANNEL, Dimension::fromWire,
                "channel, campaign, source-medium");
        int markovOrder = parameters.integer("order", order, MarkovModel.MIN_ORDER, MarkovModel.MIN_ORDER,
                MarkovModel.MAX_ORDER);
        var halfLife = parameters.days("halfLifeDays", halfLifeDays, config.halfLife(), MAX_HALF_LIFE_DAYS);
        if (window == null) {
            return null;
        }
        return new ReportRequest(window, chosen, new ModelSettings(markovOrder, halfLife, config.shapleyExactChannels()));
    }

    public long lookbackDays() {
        return window.lookback().toDays();
    }
}
