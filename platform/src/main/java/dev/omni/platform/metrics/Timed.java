package dev.omni.platform.metrics;

import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/** Micrometer timers around Mutiny work. */
public final class Timed {

    private Timed() {
    }

    /** {@code work}, timed by {@code timer} from each subscription to its end, success or failure. */
    public static <T> Uni<T> timed(Timer timer, Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start();
            return work.onTermination().invoke(() -> sample.stop(timer));
        });
    }
}
