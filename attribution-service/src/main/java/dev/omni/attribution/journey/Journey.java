package dev.omni.attribution.journey;

import dev.omni.attribution.touchpoint.ConversionView;
import dev.omni.attribution.touchpoint.TouchpointView;

import java.time.Instant;
import java.util.List;

/**
 * The touches of one profile (after merges) that led to a conversion, or that ended without one.
 *
 * @param profileId  the surviving profile
 * @param conversion null for a journey that did not convert
 * @param touches    oldest first; empty only for a conversion with no touch in its lookback
 * @param end        the conversion's time, or the last touch's
 */
public record Journey(String profileId, ConversionView conversion, List<TouchpointView> touches, Instant end) {

    public boolean converted() {
        return conversion != null;
    }
}
