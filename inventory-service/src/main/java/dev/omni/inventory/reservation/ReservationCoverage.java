package dev.omni.inventory.reservation;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.reservation.ReservationAtRisk;
import dev.omni.platform.sql.NativeSql;
import dev.omni.inventory.Sequential;
import dev.omni.inventory.stock.StockKey;
import dev.omni.inventory.stock.StockPicture;
import dev.omni.inventory.stock.StockUpdate;
import dev.omni.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.omni.inventory.Events.SOURCE;

/**
 * POS racing a reservation: when a store sells (or writes off) units that reservations hold, the shelf no longer
 * covers them all. The newest holders lose first (the oldest promise is kept): their lines are flagged at risk and an
 * {@code omni.reservation.at-risk} event tells messaging to warn the customer. When stock returns, flags clear.
 * Runs in the transaction that changed the stock, under its row lock, so it sees exactly what it decides on.
 */
@ApplicationScoped
public class ReservationCoverage {

    private static final String HOLDERS = "SELECT l.id, l.reservation_id, l.quantity, l.at_risk, r.profile_id, "
            + "r.allow_reallocation FROM reservation_line l JOIN reservation r ON r.id = l.reservation_id "
            + "WHERE l.sku = ?1 AND l.location_id = ?2 AND r.status IN ('ACTIVE', 'COMMITTED') "
            + "ORDER BY r.created_at DESC, r.id DESC, l.line_no DESC";

    private final NativeSql sql;
    private final Outbox outbox;

    public ReservationCoverage(NativeSql sql, Outbox outbox) {
        this.sql = sql;
        this.outbox = outbox;
    }

    /**
     * Re-evaluates the holders of every sku@location among {@code updates} that is or was uncovered.
     *
     * @return reservations newly at risk whose customers accept another store
     */
    public Uni<List<UUID>> check(List<StockUpdate> updates) {
        Map<StockKey, StockPicture> latest = new LinkedHashMap<>();
        Set<StockKey> involved = new LinkedHashSet<>();
        for (StockUpdate update : updates) {
            latest.put(update.key(), update.after());
            if (update.before().uncovered() > 0 || update.after().uncovered() > 0) {
                involved.add(update.key());
            }
        }
        List<UUID> reallocatable = new ArrayList<>();
        Instant now = Instant.now();
        return Sequential.each(involved, key -> cover(latest.get(key), now, reallocatable))
                .replaceWith(() -> reallocatable.stream().distinct().toList());
    }

    private Uni<Void> cover(StockPicture stock, Instant now, List<UUID> reallocatable) {
        return sql.rows(HOLDERS, stock.sku(), stock.locationId()).chain(rows -> {
            int uncovered = stock.uncovered();
            List<UUID> flag = new ArrayList<>();
            List<UUID> clear = new ArrayList<>();
            List<Uni<Void>> events = new ArrayList<>();
            for (Object[] row : rows) {
                UUID lineId = uuid(row[0]);
                UUID reservationId = uuid(row[1]);
                int quantity = NativeSql.integer(row[2]);
                boolean atRisk = (Boolean) row[3];
                if (uncovered > 0) {
                    int shortfall = Math.min(quantity, uncovered);
                    uncovered -= shortfall;
                    if (!atRisk) {
                        flag.add(lineId);
                        events.add(outbox.publish(CloudEvent.of(EventType.RESERVATION_AT_RISK, SOURCE,
                                reservationId.toString(), new ReservationAtRisk(reservationId.toString(),
                                        (String) row[4], stock.sku(), stock.locationId(), shortfall, now))));
                        if ((Boolean) row[5]) {
                            reallocatable.add(reservationId);
                        }
                    }
                } else if (atRisk) {
                    clear.add(lineId);
                }
            }
            return setAtRisk(flag, true).chain(() -> setAtRisk(clear, false))
                    .chain(() -> Sequential.each(events, event -> event));
        });
    }

    private Uni<Void> setAtRisk(List<UUID> lines, boolean atRisk) {
        return lines.isEmpty() ? Uni.createFrom().voidItem()
                : sql.execute("UPDATE reservation_line SET at_risk = ?1 WHERE id IN (?2)", atRisk, lines)
                        .replaceWithVoid();
    }

    static UUID uuid(Object value) {
        return value instanceof UUID id ? id : UUID.fromString(value.toString());
    }
}
