package dev.omni.messaging.journey;

import dev.omni.messaging.Background;
import dev.omni.messaging.MessagingConfig;
import dev.omni.messaging.TimeSource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.UUID;

/**
 * Fires due timers. Each timer is claimed with {@code FOR UPDATE SKIP LOCKED}, and its step runs and the timer row
 * is deleted in that same transaction: replicas never fire one timer twice, and a crash before commit leaves the
 * timer to fire again, its sends deduplicated by their idempotency keys. A timer whose step keeps failing is retried
 * with backoff, then its run is marked failed.
 */
@ApplicationScoped
public class JourneyTimers {

    private static final String NEXT_DUE = """
            SELECT * FROM journey_timer WHERE due_at <= ?1 ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED""";
    private static final int PER_RUN = 500;

    private final JourneyEngine engine;
    private final TimeSource time;
    private final MessagingConfig config;
    private Background loop;

    public JourneyTimers(JourneyEngine engine, TimeSource time, MessagingConfig config) {
        this.engine = engine;
        this.time = time;
        this.config = config;
    }

    void start(@Observes StartupEvent startup, Vertx vertx) {
        loop = Background.every(vertx, "journey timers", config.journeys().pollInterval(), this::fireDue);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (loop != null) {
            loop.stop();
        }
    }

    /** Fires due timers one transaction each until none is due; returns how many fired. */
    public Uni<Integer> fireDue() {
        int[] fired = {0};
        return fireOne()
                .invoke(any -> fired[0] += any ? 1 : 0)
                .repeat().whilst(any -> any && fired[0] < PER_RUN)
                .collect().last()
                .map(ignored -> fired[0]);
    }

    /** Fires the next due timer, if any. */
    private Uni<Boolean> fireOne() {
        return Uni.createFrom().deferred(this::fireNext);
    }

    private Uni<Boolean> fireNext() {
        UUID[] claimed = {null};
        return Panache.withTransaction(() -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(NEXT_DUE, JourneyTimer.class)
                                .setParameter(1, time.now())
                                .getSingleResultOrNull())
                        .chain(timer -> {
                            if (timer == null) {
                                return Uni.createFrom().item(false);
                            }
                            claimed[0] = timer.id;
                            return fire(timer).chain(() -> timer.delete()).replaceWith(true);
                        }))
                .onFailure().recoverWithUni(failure -> claimed[0] == null ? Uni.createFrom().failure(failure)
                        : postpone(claimed[0], failure).replaceWith(true));
    }

    private Uni<Void> fire(JourneyTimer timer) {
        return JourneyRun.<JourneyRun>findById(timer.runId).chain(run -> {
            if (run == null || !JourneyRun.ACTIVE.equals(run.status)) {
                return Uni.createFrom().voidItem();
            }
            return Journey.<Journey>findById(run.journeyId)
                    .chain(journey -> engine.resume(journey.parsed(), run, timer.stepId));
        });
    }

    private Uni<Void> postpone(UUID timerId, Throwable failure) {
        return Panache.withTransaction(() -> JourneyTimer.<JourneyTimer>findById(timerId).chain(timer -> {
            if (timer == null) {
                return Uni.createFrom().voidItem();
            }
            timer.attempts++;
            Log.warnf(failure, "journey timer %s (run %s, step %s) failed, attempt %d", timer.id, timer.runId,
                    timer.stepId, timer.attempts);
            if (timer.attempts >= config.journeys().timerAttempts()) {
                return JourneyRun.<JourneyRun>findById(timer.runId)
                        .invoke(run -> run.end(JourneyRun.FAILED, "step " + timer.stepId + ": " + failure.getMessage(),
                                time.now()))
                        .chain(() -> timer.delete());
            }
            timer.dueAt = time.now().plus(Duration.ofSeconds(1L << Math.min(timer.attempts, 10)));
            return Uni.createFrom().voidItem();
        }));
    }
}
