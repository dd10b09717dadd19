package dev.omni.messaging.support;

import dev.omni.messaging.TimeSource;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** The service's clock in tests: real time plus an offset a test moves forward instead of waiting. */
@Alternative
@Priority(1)
@ApplicationScoped
public class MovableTimeSource extends TimeSource {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Override
    public Instant now() {
        return super.now().plus(offset.get());
    }

    public void advance(Duration by) {
        offset.updateAndGet(current -> current.plus(by));
    }
}
