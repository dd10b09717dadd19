package dev.omni.attribution.journey;

import java.time.Duration;
import java.time.Instant;

/**
 * The journeys a report reads: those ending in {@code [from, to)} — at their conversion, or at their last touch
 * for journeys that did not convert — with the touches of the {@code lookback} before that end.
 */
public record JourneyWindow(Instant from, Instant to, Duration lookback) {

    public JourneyWindow {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        if (lookback.isNegative() || lookback.isZero()) {
            throw new IllegalArgumentException("the lookback is positive");
        }
    }

    /** The earliest touch any journey of the window may hold. */
    public Instant earliestTouch() {
        return from.minus(lookback);
    }

    public boolean ends(Instant end) {
        return !end.isBefore(from) && end.isBefore(to);
    }
}
