package dev.omni.profile.tx;

import dev.omni.profile.identity.Profiles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs work in its own transaction and runs it again when it lost a race that a second try wins: a deadlock, a
 * serialization failure, a duplicate key another transaction inserted first, a group merged under the writer.
 * Callers must not hold a session of their own (no {@code @WithSession} around them), so each try starts clean.
 */
public final class Transactions {

    private static final int ATTEMPTS = 5;
    /** deadlock, serialization failure, unique violation, lock not available */
    private static final Set<String> RETRYABLE = Set.of("40P01", "40001", "23505", "55P03");

    private Transactions() {
    }

    public static <T> Uni<T> retrying(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(work))
                .onFailure(Transactions::isTransient).retry().atMost(ATTEMPTS);
    }

    /** Writes pending changes now, for a query or native statement that must see them. */
    public static Uni<Void> flush() {
        return Panache.getSession().chain(session -> session.flush());
    }

    /**
     * The database went away under the work (connection closed or refused, server shutting down, SQLSTATE class 08),
     * as opposed to the work failing on its own: nothing about the input is wrong, so it is tried again later, never
     * set aside as a bad event.
     */
    public static boolean isConnectionLost(Throwable failure) {
        ArrayDeque<Throwable> pending = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        pending.add(failure);
        while (!pending.isEmpty()) {
            Throwable cause = pending.poll();
            if (!seen.add(cause)) {
                continue;
            }
            if (cause instanceof ClosedConnectionException || cause instanceof IOException) {
                return true;
            }
            if (cause instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
            if (cause instanceof CompositeException composite) {
                pending.addAll(composite.getCauses());
            }
            if (cause.getCause() != null) {
                pending.add(cause.getCause());
            }
        }
        return false;
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Profiles.StaleGroupException) {
                return true;
            }
            if (cause instanceof PgException pg && RETRYABLE.contains(pg.getSqlState())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
