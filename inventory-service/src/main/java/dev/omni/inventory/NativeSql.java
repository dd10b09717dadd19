package dev.omni.inventory;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;

/**
 * Plain SQL in the caller's Panache session and transaction, for the statements JPQL cannot say (conditional
 * {@code UPDATE ... RETURNING}, {@code FOR UPDATE SKIP LOCKED}, generated columns).
 */
@ApplicationScoped
public class NativeSql {

    /** Rows of the statement (a SELECT or a DML with RETURNING), each as an array even for one column. */
    public Uni<List<Object[]>> rows(String sql, Object... parameters) {
        return Panache.getSession().chain(session -> bind(session.createNativeQuery(sql), parameters).getResultList())
                .map(rows -> rows.stream().map(NativeSql::columns).toList());
    }

    public Uni<Integer> execute(String sql, Object... parameters) {
        return Panache.getSession().chain(session -> bind(session.createNativeQuery(sql), parameters).executeUpdate());
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
