package dev.omni.messaging.provider;

import dev.omni.messaging.MessagingConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * Sends through a channel's providers in priority order: each gets its attempts (retryable failures — no answer,
 * timeout, 408/429/5xx — are retried with exponential backoff), then the next provider takes over; when the last one
 * fails the send fails.
 */
@ApplicationScoped
public class FailoverSender {

    private final ProviderRegistry registry;
    private final MeterRegistry meters;
    /**
     * Sends in flight at once. A send waits for a permit before its provider's timeout starts: queued inside the
     * SMTP pool instead, a mail could time out while still waiting, be retried and then go out twice.
     */
    private final Semaphore permits;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    public FailoverSender(ProviderRegistry registry, MeterRegistry meters, MessagingConfig config) {
        this.registry = registry;
        this.meters = meters;
        this.permits = new Semaphore(config.dispatch().sendConcurrency());
    }

    /**
     * The outcome is emitted on the caller's Vert.x context: a timeout or a backoff delay fires on a worker thread,
     * and the caller records the outcome with Hibernate Reactive, which must run on the context it started on.
     */
    public Uni<Delivery> send(Outbound message) {
        List<ChannelProvider> providers = registry.forChannel(message.channel());
        if (providers.isEmpty()) {
            return Uni.createFrom().failure(new DeliveryFailedException(null,
                    "no provider configured for " + message.channel().wire(), null));
        }
        Uni<Delivery> outcome = withPermit(Uni.createFrom().deferred(() -> attempt(providers, 0, message)));
        Context caller = Vertx.currentContext();
        return caller == null ? outcome : outcome.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    private Uni<Delivery> withPermit(Uni<Delivery> send) {
        return Uni.createFrom().emitter(emitter -> run(() -> send.subscribe().with(
                delivery -> {
                    release();
                    emitter.complete(delivery);
                },
                failure -> {
                    release();
                    emitter.fail(failure);
                })));
    }

    private void run(Runnable task) {
        if (permits.tryAcquire()) {
            task.run();
            return;
        }
        waiting.add(later(task));
        handOver(); // a permit released between the try and the add would otherwise wait for the next release
    }

    /**
     * A waiting send starts on its caller's context (or a worker), never inside the completion that hands it the
     * permit: sends that complete at once would otherwise start one another recursively, as deep as the queue.
     */
    private static Runnable later(Runnable task) {
        Context context = Vertx.currentContext();
        return context != null ? () -> context.runOnContext(ignored -> task.run())
                : () -> Infrastructure.getDefaultExecutor().execute(task);
    }

    private void release() {
        Runnable next = waiting.poll();
        if (next != null) {
            next.run(); // the permit passes to the next send
            return;
        }
        permits.release();
        handOver();
    }

    private void handOver() {
        while (!waiting.isEmpty() && permits.tryAcquire()) {
            Runnable next = waiting.poll();
            if (next == null) {
                permits.release();
                continue;
            }
            next.run();
            return;
        }
    }

    private Uni<Delivery> attempt(List<ChannelProvider> providers, int index, Outbound message) {
        ChannelProvider provider = providers.get(index);
        MessagingConfig.Provider config = registry.config(provider.name());
        Uni<String> sent = Uni.createFrom().deferred(() -> provider.send(message));
        if (config.attempts() > 1) {
            Duration backoff = config.backoff();
            sent = sent.onFailure(failure -> failure instanceof ProviderException p && p.retryable())
                    .retry().withBackOff(backoff, backoff.multipliedBy(8)).atMost(config.attempts() - 1);
        }
        return sent.map(id -> new Delivery(provider.name(), id))
                .onFailure().recoverWithUni(thrown -> {
                    Throwable failure = thrown instanceof IllegalStateException && thrown.getCause() != null
                            ? thrown.getCause() : thrown;
                    Log.warnf("message %s: provider %s failed: %s", message.messageId(), provider.name(),
                            failure.getMessage());
                    if (index + 1 < providers.size()) {
                        meters.counter("omni.messages.failover", "channel", message.channel().wire(),
                                "from", provider.name()).increment();
                        return attempt(providers, index + 1, message);
                    }
                    return Uni.createFrom().failure(new DeliveryFailedException(provider.name(),
                            failure.getMessage(), failure));
                });
    }
}
