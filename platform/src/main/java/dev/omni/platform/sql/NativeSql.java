package dev.omni.platform.sql;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.pool.ReactiveConnection;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.session.ReactiveConnectionSupplier;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntFunction;
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
 * for it anyway; a Java array parameter is bound as a PostgreSQL array ({@code = ANY(?1)}, {@code unnest(?1)}) and
 * goes straight to the connection.
 * <p>
 * {@link #write} sends an {@code INSERT}/{@code UPDATE}/{@code DELETE} the same way: one statement for many rows
 * ({@code INSERT ... SELECT * FROM unnest(?1, ?2, ...)}) instead of one entity insert each.
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
        String statement = postgres(sql);
        Object[] values = values(parameters);
        return Panache.getSession()
                .chain(session -> Uni.createFrom().completionStage(() -> connection(session).select(statement, values)))
                .map(NativeSql::list);
    }

    private String postgres(String sql) {
        return postgres.computeIfAbsent(sql, text -> ORDINAL.matcher(text).replaceAll("\\$$1"));
    }

    private static ReactiveConnection connection(Mutiny.Session session) {
        return ((MutinySessionImpl) session).unwrap(ReactiveConnectionSupplier.class).getReactiveConnection();
    }

    /**
     * A DML statement on the session's connection, at once (not at the next flush), with scalar or array
     * parameters; returns the rows it changed. Like {@link #rows}, it does not flush the session first.
     */
    public Uni<Integer> write(String sql, Object... parameters) {
        if (hasCollection(parameters)) {
            throw new IllegalArgumentException("write takes arrays, not collections: " + sql);
        }
        String statement = postgres(sql);
        Object[] values = values(parameters);
        return Panache.getSession().chain(session -> Uni.createFrom().completionStage(() -> connection(session)
                .update(statement, values)));
    }

    /** Through Hibernate, which expands collection parameters ({@code IN (?1)}). */
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

    /** What the PostgreSQL client takes: an instant as a UTC timestamp, an enum by name; arrays likewise. */
    private static Object[] values(Object[] parameters) {
        Object[] values = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            values[i] = value(parameters[i]);
        }
        return values;
    }

    private static Object value(Object parameter) {
        if (parameter instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        if (parameter instanceof Enum<?> constant) {
            return constant.name();
        }
        if (parameter instanceof Instant[] instants) {
            OffsetDateTime[] times = new OffsetDateTime[instants.length];
            for (int i = 0; i < instants.length; i++) {
                times[i] = instants[i] == null ? null : instants[i].atOffset(ZoneOffset.UTC);
            }
            return times;
        }
        if (parameter instanceof Enum<?>[] constants) {
            String[] names = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                names[i] = constants[i] == null ? null : constants[i].name();
            }
            return names;
        }
        return parameter;
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

    /**
     * One column of {@code rows} as an array, for {@code INSERT … SELECT * FROM unnest(?1::type[], …)}; values are
     * taken in the rows' order.
     */
    public static <T, V> V[] column(List<T> rows, Function<? super T, ? extends V> value, IntFunction<V[]> array) {
        V[] column = array.apply(rows.size());
        for (int i = 0; i < column.length; i++) {
            column[i] = value.apply(rows.get(i));
        }
        return column;
    }

    public static int integer(Object value) {
        return ((Number) value).intValue();
    }

    public static double decimal(Object value) {
        return ((Number) value).doubleValue();
    }

    /** A {@code timestamptz} column as the connection returns it ({@link OffsetDateTime}), as an instant; null stays null. */
    public static Instant instant(Object value) {
        return value == null ? null : ((OffsetDateTime) value).toInstant();
    }
}
