package dev.omni.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;

/** The clock every rule reads (quiet hours, caps, timers), so tests can move time instead of waiting for it. */
@ApplicationScoped
public class TimeSource {

    private final Clock clock = Clock.systemUTC();

    public Instant now() {
        return clock.instant();
    }
}
