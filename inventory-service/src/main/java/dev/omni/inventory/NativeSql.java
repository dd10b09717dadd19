package dev.omni.inventory;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.pool.ReactiveConnection;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.session.ReactiveConnectionSupplier;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Plain SQL in the caller's Panache session and transaction, for the statements JPQL cannot say (conditional
 * {@code UPDATE ... RETURNING}, {@code FOR UPDATE SKIP LOCKED}, generated columns).
 * <p>
 * Rows come straight from the session's own connection. Like Hibernate Reactive's native queries, this does not flush
 * the session first: a caller that needs its pending changes in the database flushes before. Hibernate
 * Reactive 3.1's native queries never find their plan again: the plan cache key holds a {@code ReactiveResultSetMapping}
 * without {@code equals}, so every execution adds a plan under the same hash and evicts a useful one, and lookups walk
 * a bucket of up to 2,048 colliding keys (about a tenth of inventory-service's CPU under load, measured). A statement
 * with a collection parameter ({@code IN (?1)}) still goes through Hibernate, which expands the list and caches no plan
 * for it anyway.
 */
@ApplicationScoped
public class NativeSql {

    private static final Pattern ORDINAL = Pattern.compile("\\?(\\d+)");

    /** JPA's {@code ?1} markers as PostgreSQL's {@code $1}, per statement text. */
    private final ConcurrentHashMap<String, String> postgres = new ConcurrentHashMap<>();

    /** Rows of the statement (a SELECT or a DML with RETURNING), each as an array even for one column. */
    public Uni<List<Object[]>> rows(String sql, Object... parameters) {
        if (hasCollection(parameters)) {
            return Panache.getSession()
                    .chain(session -> bind(session.createNativeQuery(sql), parameters).getResultList())
                    .map(rows -> rows.stream().map(NativeSql::columns).toList());
        }
        String statement = postgres.computeIfAbsent(sql, text -> ORDINAL.matcher(text).replaceAll("\\$$1"));
        Object[] values = values(parameters);
        return Panache.getSession().chain(session -> {
            ReactiveConnection connection = ((MutinySessionImpl) session).unwrap(ReactiveConnectionSupplier.class)
                    .getReactiveConnection();
            return Uni.createFrom().completionStage(() -> connection.select(statement, values));
        }).map(NativeSql::list);
    }

    public Uni<Integer> execute(String sql, Object... parameters) {
        return Panache.getSession().chain(session -> bind(session.createNativeQuery(sql), parameters).executeUpdate());
    }

    private static boolean hasCollection(Object[] parameters) {
        for (Object parameter : parameters) {
            if (parameter instanceof Collection<?>) {
                return true;
            }
        }
        return false;
    }

    /** What the PostgreSQL client takes: an instant as a UTC timestamp, an enum by name. */
    private static Object[] values(Object[] parameters) {
        Object[] values = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            values[i] = parameter instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC)
                    : parameter instanceof Enum<?> constant ? constant.name()
                    : parameter;
        }
        return values;
    }

    private static List<Object[]> list(ReactiveConnection.Result result) {
        List<Object[]> rows = new ArrayList<>(result.size());
        result.forEachRemaining(rows::add);
        return rows;
    }

    private static <R> Mutiny.Query<R> bind(Mutiny.Query<R> query, Object... parameters) {
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        return query;
    }

    private static Object[] columns(Object row) {
        return row instanceof Object[] array ? array : new Object[] {row};
    }

    public static int integer(Object value) {
        return ((Number) value).intValue();
    }

    public static double decimal(Object value) {
        return ((Number) value).doubleValue();
    }
}
