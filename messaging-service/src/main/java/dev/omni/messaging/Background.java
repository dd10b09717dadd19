package dev.omni.messaging;

import io.quarkus.logging.Log;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A periodic job on a Vert.x timer, each run on a fresh duplicated context (Hibernate Reactive needs one per
 * unit of work), never two runs of one job at once.
 */
public final class Background {

    private final Vertx vertx;
    private final String name;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    private Background(Vertx vertx, String name) {
        this.vertx = vertx;
        this.name = name;
    }

    public static Background every(Vertx vertx, String name, Duration interval, Supplier<Uni<?>> work) {
        Background job = new Background(vertx, name);
        job.timer = vertx.setPeriodic(Math.max(10, interval.toMillis()), id -> job.runOnce(work));
        return job;
    }

    private void runOnce(Supplier<Uni<?>> work) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> Uni.createFrom().deferred(work)
                .onTermination().invoke(() -> running.set(false))
                .subscribe().with(done -> { }, failure -> Log.warnf(failure, "%s: %s; retrying", name,
                        failure.getMessage())));
    }

    public void stop() {
        vertx.cancelTimer(timer);
    }
}
