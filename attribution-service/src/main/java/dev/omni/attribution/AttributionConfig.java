package dev.omni.attribution;

import dev.omni.attribution.model.ShapleyModel;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/** Defaults of journeys and models; a report request may override lookback, half-life and Markov order. */
@ConfigMapping(prefix = "omni.attribution")
public interface AttributionConfig {

    /** How far before a conversion touchpoints still belong to its journey. */
    @WithDefault("P30D")
    Duration lookback();

    /** Consecutive touchpoints on one channel closer than this are one visit (ten page views are one touch). */
    @WithDefault("PT30M")
    Duration sessionGap();

    /**
     * How often the journeys of profiles with new touchpoints or conversions are rebuilt (a report rebuilds them
     * before it reads, whatever this says): longer intervals fold more of a customer's events into one rebuild.
     */
    @WithDefault("5s")
    Duration journeyRefreshInterval();

    /** Half-life of the time-decay model: a touch this long before the conversion weighs half as much. */
    @WithDefault("P7D")
    Duration halfLife();

    /** Up to this many channels Shapley values are exact (2^n coalitions); above, the simplified form. */
    @WithDefault("20")
    @Min(0)
    @Max(ShapleyModel.MAX_EXACT_LIMIT)
    int shapleyExactChannels();

    /** Cap on the expected customer lifespan of the predictive CLV when almost nobody churns. */
    @WithDefault("5")
    double clvMaxLifespanYears();
}
