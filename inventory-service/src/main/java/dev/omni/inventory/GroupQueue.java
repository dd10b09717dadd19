package dev.omni.inventory;

import io.quarkus.logging.Log;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Requests that are applied together: one group at a time takes everything that queued up while the one before ran
 * (up to {@code max}) and applies it in one transaction, so a commit and its round trips serve a group instead of
 * one request. Each waiting request is answered through its own emitter by the group function, after the commit.
 *
 * @param <W> a waiting request, holding its emitter
 */
public final class GroupQueue<W> {

    private final Queue<W> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Vertx vertx;
    private final int max;
    private final String name;
    private final Function<List<W>, Uni<Void>> group;

    /**
     * @param group applies a group and answers each of its requests; it must answer every one, also on failure
     */
    public GroupQueue(Vertx vertx, int max, String name, Function<List<W>, Uni<Void>> group) {
        this.vertx = vertx;
        this.max = max;
        this.name = name;
        this.group = group;
    }

    /**
     * A request's answer, to come from the group it joins: {@code enqueue} wraps the emitter into a waiting request
     * and {@link #add}s it. The answer is emitted on the caller's own Vert.x context, not on the group's.
     */
    public static <T> Uni<T> answered(Consumer<UniEmitter<? super T>> enqueue) {
        Context caller = Vertx.currentContext();
        Uni<T> queued = Uni.createFrom().emitter(enqueue);
        return caller == null ? queued : queued.emitOn(command -> caller.runOnContext(v -> command.run()));
    }

    /** Hands {@code result} to the waiting request's {@code emitter}, item or failure; the returned Uni never fails. */
    public static <T> Uni<Void> answer(UniEmitter<? super T> emitter, Uni<T> result) {
        return result.onItemOrFailure().invoke((item, failure) -> {
            if (failure != null) {
                emitter.fail(failure);
            } else {
                emitter.complete(item);
            }
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    public void add(W request) {
        waiting.add(request);
        drain();
    }

    private void drain() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        List<W> next = new ArrayList<>();
        for (W request; next.size() < max && (request = waiting.poll()) != null; ) {
            next.add(request);
        }
        if (next.isEmpty()) {
            draining.set(false);
            // one queued between the poll and the reset would otherwise wait for the next arrival
            if (!waiting.isEmpty()) {
                drain();
            }
            return;
        }
        // a context of its own: the group's session and transaction are no request's
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> Uni.createFrom().deferred(() -> group.apply(next))
                .onTermination().invoke(() -> {
                    draining.set(false);
                    drain();
                })
                .subscribe().with(done -> { }, failure -> Log.warnf("%s: %s", name, failure.getMessage())));
    }
}
