package dev.omni.inventory.reservation;

import dev.omni.inventory.InventoryConfig;
import dev.omni.platform.sql.NativeSql;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.stream.Collectors;

/**
 * Releases lapsed reservations. The expiry is a column, not a timer in memory: whatever instance runs next (after a
 * restart, or beside another replica) finds every lapsed row, claimed with {@code FOR UPDATE SKIP LOCKED} so no two
 * release the same one and a customer committing at that moment is not blocked.
 */
@ApplicationScoped
public class ReservationExpiry {

    private static final String CLAIM = "SELECT id FROM reservation WHERE status = 'ACTIVE' AND expires_at <= now() "
            + "ORDER BY expires_at LIMIT ?1 FOR UPDATE SKIP LOCKED";

    private final InventoryConfig config;
    private final ReservationService reservations;
    private final NativeSql sql;
    private final Counter expired;

    public ReservationExpiry(InventoryConfig config, ReservationService reservations, NativeSql sql,
            MeterRegistry registry) {
        this.config = config;
        this.reservations = reservations;
        this.sql = sql;
        this.expired = Counter.builder("omni.inventory.reservations.expired")
                .description("Reservations released because they lapsed").register(registry);
    }

    @Scheduled(every = "${omni.inventory.reservation.expiry-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return releaseLapsed().onFailure().recoverWithItem(failure -> {
            Log.warnf("reservation expiry: %s; retrying on the next run", failure.getMessage());
            return 0;
        }).replaceWithVoid();
    }

    /** Releases every lapsed reservation, a batch per transaction; returns how many. */
    public Uni<Integer> releaseLapsed() {
        int batchSize = config.reservation().expiryBatchSize();
        return Uni.createFrom().deferred(() -> reservations.tracked(() -> Panache.withTransaction(() ->
                        releaseBatch(batchSize))))
                .repeat().whilst(released -> released == batchSize)
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    private Uni<Integer> releaseBatch(int batchSize) {
        return sql.rows(CLAIM, batchSize)
                .map(rows -> rows.stream().map(row -> ReservationCoverage.uuid(row[0])).toList())
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(0)
                        : Reservation.<Reservation>list("id in ?1 order by expiresAt", ids)
                                .chain(reservations::expire)
                                .invoke(() -> expired.increment(ids.size()))
                                .replaceWith(ids.size()));
    }
}
