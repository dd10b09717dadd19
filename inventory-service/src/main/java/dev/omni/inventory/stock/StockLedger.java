package dev.omni.inventory.stock;

import dev.omni.platform.sql.NativeSql;
import dev.omni.inventory.Sequential;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static dev.omni.platform.sql.NativeSql.integer;

/**
 * The only writer of {@code stock_level}. Each change is one {@code UPDATE ... RETURNING} whose {@code WHERE} carries
 * its guard, so "reserve only if available" is decided by PostgreSQL on the latest row version under the row lock:
 * no read-then-write window, whatever the concurrency. Call inside a transaction.
 */
@ApplicationScoped
public class StockLedger {

    private static final String COLUMNS = "s.sku, s.location_id, s.on_hand, s.reserved, s.committed, s.safety_stock, "
            + "s.damaged, s.available";

    private static final String UPDATE = "UPDATE stock_level s SET on_hand = s.on_hand + ?1, reserved = s.reserved + ?2, "
            + "committed = s.committed + ?3, safety_stock = s.safety_stock + ?4, damaged = s.damaged + ?5, "
            + "updated_at = now() FROM sku k, location l "
            + "WHERE s.sku = ?6 AND s.location_id = ?7 AND k.sku = s.sku AND l.id = s.location_id";
    private static final String RETURNING = " RETURNING " + COLUMNS + ", k.product_id, l.fulfils_online";
    private static final String GUARD_AVAILABLE = " AND s.on_hand - s.reserved - s.committed - s.safety_stock - s.damaged >= ?";
    private static final String GUARD_ON_HAND = " AND s.on_hand = ?";
    private static final int FIRST_GUARD_PARAMETER = 8;

    private static final String ENSURE = "INSERT INTO stock_level (sku, location_id, updated_at) VALUES (?1, ?2, now()) "
            + "ON CONFLICT DO NOTHING";
    private static final String FIND = "SELECT " + COLUMNS + " FROM stock_level s WHERE s.sku = ?1 AND s.location_id = ?2";

    private final NativeSql sql;

    public StockLedger(NativeSql sql) {
        this.sql = sql;
    }

    /**
     * Applies one change; empty when its guard does not hold (not enough available, on hand not as expected) or,
     * for a guarded reservation, when the sku@location has no stock row at all.
     */
    public Uni<Optional<StockUpdate>> apply(StockChange change) {
        return update(change).chain(result -> result.isPresent() || change.requireAvailable() != null
                ? Uni.createFrom().item(result)
                // the first movement of a sku@location: start it at zero and apply again
                : sql.execute(ENSURE, change.key().sku(), change.key().locationId()).chain(() -> update(change)));
    }

    private Uni<Optional<StockUpdate>> update(StockChange change) {
        return sql.rows(statement(change), parameters(change))
                .map(rows -> rows.isEmpty() ? Optional.empty() : Optional.of(update(change, rows.get(0))));
    }

    /**
     * Applies every change or none: in sku@location order so concurrent callers never deadlock; fails with
     * {@link InsufficientStockException} naming the first key whose guard did not hold (the caller's transaction then
     * rolls back what went before).
     */
    public Uni<List<StockUpdate>> applyAll(List<StockChange> changes) {
        List<StockChange> ordered = changes.stream().filter(c -> !c.isEmpty() || c.requireAvailable() != null)
                .sorted(Comparator.comparing(StockChange::key)).toList();
        return Sequential.map(ordered, change -> apply(change)
                .chain(result -> result.isPresent() ? Uni.createFrom().item(result.get())
                        : find(change.key()).chain(current -> Uni.createFrom().failure(
                                new InsufficientStockException(change, current.map(StockPicture::available).orElse(0))))));
    }

    /** Locks the row (creating it at zero if absent) and returns it: for changes computed from the current value. */
    public Uni<StockPicture> lock(StockKey key) {
        return sql.execute(ENSURE, key.sku(), key.locationId())
                .chain(() -> sql.rows(FIND + " FOR UPDATE", key.sku(), key.locationId()))
                .map(rows -> picture(rows.get(0)));
    }

    /** Locks the row if there is one (a reservation never creates a stock row) and returns it. */
    public Uni<Optional<StockPicture>> lockExisting(StockKey key) {
        return sql.rows(FIND + " FOR UPDATE", key.sku(), key.locationId())
                .map(rows -> rows.isEmpty() ? Optional.empty() : Optional.of(picture(rows.get(0))));
    }

    public Uni<Optional<StockPicture>> find(StockKey key) {
        return sql.rows(FIND, key.sku(), key.locationId())
                .map(rows -> rows.isEmpty() ? Optional.empty() : Optional.of(picture(rows.get(0))));
    }

    public Uni<List<StockPicture>> ofSku(String sku) {
        return sql.rows("SELECT " + COLUMNS + " FROM stock_level s WHERE s.sku = ?1 ORDER BY s.location_id", sku)
                .map(rows -> rows.stream().map(StockLedger::picture).toList());
    }

    /** Available online: summed over the locations that fulfil online orders. */
    public Uni<Integer> onlineAvailable(String sku) {
        return sql.rows("SELECT COALESCE(SUM(s.available), 0) FROM stock_level s JOIN location l ON l.id = s.location_id "
                + "WHERE s.sku = ?1 AND l.fulfils_online", sku).map(rows -> integer(rows.get(0)[0]));
    }

    private static String statement(StockChange change) {
        StringBuilder statement = new StringBuilder(UPDATE);
        int parameter = FIRST_GUARD_PARAMETER;
        if (change.requireAvailable() != null) {
            statement.append(GUARD_AVAILABLE).append(parameter++);
        }
        if (change.expectedOnHand() != null) {
            statement.append(GUARD_ON_HAND).append(parameter);
        }
        return statement.append(RETURNING).toString();
    }

    private static Object[] parameters(StockChange change) {
        List<Object> parameters = new ArrayList<>(List.of(change.onHand(), change.reserved(), change.committed(),
                change.safetyStock(), change.damaged(), change.key().sku(), change.key().locationId()));
        if (change.requireAvailable() != null) {
            parameters.add(change.requireAvailable());
        }
        if (change.expectedOnHand() != null) {
            parameters.add(change.expectedOnHand());
        }
        return parameters.toArray();
    }

    private static StockUpdate update(StockChange change, Object[] row) {
        StockPicture after = picture(row);
        return new StockUpdate(change.before(after), after, (String) row[8], (Boolean) row[9]);
    }

    static StockPicture picture(Object[] row) {
        return new StockPicture((String) row[0], (String) row[1], integer(row[2]), integer(row[3]), integer(row[4]),
                integer(row[5]), integer(row[6]), integer(row[7]));
    }
}
