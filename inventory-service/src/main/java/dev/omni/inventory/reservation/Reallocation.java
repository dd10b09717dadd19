package dev.omni.inventory.reservation;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.reservation.ReservationReallocated;
import dev.omni.inventory.InventoryConfig;
import dev.omni.platform.sql.NativeSql;
import dev.omni.inventory.Sequential;
import dev.omni.inventory.availability.AvailabilityPublisher;
import dev.omni.inventory.location.GeoPoint;
import dev.omni.inventory.location.Location;
import dev.omni.inventory.stock.InsufficientStockException;
import dev.omni.inventory.stock.StockChange;
import dev.omni.inventory.stock.StockLedger;
import dev.omni.platform.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.omni.inventory.Events.SOURCE;

/**
 * Moves an at-risk reservation, when its customer allowed it, to the nearest store (from the one that can no longer
 * cover it) that has every unit it holds there. Runs after the transaction that flagged it, and again on a timer for
 * reservations still at risk, so a crash or a store with no stock yet only delays it.
 */
@ApplicationScoped
public class Reallocation {

    private static final String AT_RISK = "SELECT DISTINCT r.id, r.created_at FROM reservation r "
            + "JOIN reservation_line l ON l.reservation_id = r.id WHERE l.at_risk AND r.allow_reallocation "
            + "AND r.status IN ('ACTIVE', 'COMMITTED') ORDER BY r.created_at LIMIT 100";

    private final InventoryConfig config;
    private final StockLedger ledger;
    private final ReservationCoverage coverage;
    private final AvailabilityPublisher availability;
    private final Outbox outbox;
    private final NativeSql sql;

    public Reallocation(InventoryConfig config, StockLedger ledger, ReservationCoverage coverage,
            AvailabilityPublisher availability, Outbox outbox, NativeSql sql) {
        this.config = config;
        this.ledger = ledger;
        this.coverage = coverage;
        this.availability = availability;
        this.outbox = outbox;
        this.sql = sql;
    }

    @Scheduled(every = "${omni.inventory.reservation.reallocation-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> retryAtRisk() {
        return Panache.withSession(() -> sql.rows(AT_RISK))
                .map(rows -> rows.stream().map(row -> ReservationCoverage.uuid(row[0])).toList())
                .chain(this::reallocate);
    }

    /** Best effort, one reservation at a time; a failure is logged and left to the timer. */
    public Uni<Void> reallocate(List<UUID> reservationIds) {
        return Sequential.each(reservationIds, id -> reallocate(id)
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("reallocation of reservation %s failed, retried later: %s", id, failure.getMessage());
                    return false;
                })
                .replaceWithVoid());
    }

    /** @return whether the reservation moved */
    public Uni<Boolean> reallocate(UUID reservationId) {
        return Panache.withSession(() -> Reservation.<Reservation>findById(reservationId)
                        .chain(reservation -> reservation == null ? Uni.createFrom().item(List.<Move>of())
                                : ReservationLine.of(reservationId).chain(lines -> plan(reservation, lines))))
                .chain(moves -> Sequential.map(moves, this::tryMove))
                .map(moved -> moved.contains(true));
    }

    /** One move per location the reservation is at risk at: every line there, to each candidate store in turn. */
    private record Move(UUID reservationId, String from, List<String> candidates) {
    }

    private Uni<List<Move>> plan(Reservation reservation, List<ReservationLine> lines) {
        if (!reservation.allowReallocation || !reservation.status.holds()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> fromLocations = lines.stream().filter(l -> l.atRisk).map(l -> l.locationId).distinct().toList();
        double radius = reservation.reallocationRadiusKm != null ? reservation.reallocationRadiusKm
                : config.reservation().reallocationRadiusKm();
        return Sequential.map(fromLocations, from -> {
            Map<String, Integer> needs = new TreeMap<>();
            lines.stream().filter(l -> l.locationId.equals(from))
                    .forEach(l -> needs.merge(l.sku, l.quantity, Integer::sum));
            return candidates(from, needs, radius).map(candidates -> new Move(reservation.id, from, candidates));
        });
    }

    /** Pickup stores within {@code radiusKm} of {@code from}, nearest first, that have all of {@code needs} available. */
    private Uni<List<String>> candidates(String from, Map<String, Integer> needs, double radiusKm) {
        return Location.<Location>findById(from).chain(origin -> {
            GeoPoint center = origin.position();
            GeoPoint.BoundingBox box = center.box(radiusKm);
            return Location.<Location>list("pickupEnabled = true and id <> ?1 and latitude between ?2 and ?3",
                            from, box.minLatitude(), box.maxLatitude())
                    .chain(stores -> {
                        Map<String, Double> distances = new HashMap<>();
                        stores.forEach(store -> {
                            double distance = center.distanceKm(store.position());
                            if (distance <= radiusKm) {
                                distances.put(store.id, distance);
                            }
                        });
                        if (distances.isEmpty()) {
                            return Uni.createFrom().item(List.<String>of());
                        }
                        return sql.rows("SELECT location_id, sku, available FROM stock_level "
                                        + "WHERE sku IN (?1) AND location_id IN (?2)",
                                        List.copyOf(needs.keySet()), List.copyOf(distances.keySet()))
                                .map(rows -> {
                                    Map<String, Integer> covered = new HashMap<>();
                                    for (Object[] row : rows) {
                                        if (NativeSql.integer(row[2]) >= needs.get((String) row[1])) {
                                            covered.merge((String) row[0], 1, Integer::sum);
                                        }
                                    }
                                    return covered.entrySet().stream()
                                            .filter(e -> e.getValue() == needs.size())
                                            .map(Map.Entry::getKey)
                                            .sorted(Comparator.comparing(distances::get))
                                            .toList();
                                });
                    });
        });
    }

    private Uni<Boolean> tryMove(Move move) {
        Uni<Boolean> attempt = Uni.createFrom().item(false);
        for (String target : move.candidates()) {
            attempt = attempt.chain(moved -> moved ? Uni.createFrom().item(true)
                    : availability.tracked(() -> Panache.withTransaction(() -> moveTo(move.reservationId(),
                            move.from(), target)))
                            // the store sold out between the plan and the move: try the next one
                            .onFailure(InsufficientStockException.class).recoverWithItem(false));
        }
        return attempt;
    }

    private Uni<Boolean> moveTo(UUID reservationId, String from, String target) {
        return Reservation.<Reservation>findById(reservationId, LockModeType.PESSIMISTIC_WRITE)
                .chain(reservation -> ReservationLine.of(reservationId).chain(lines -> {
                    List<ReservationLine> moving = lines.stream().filter(l -> l.locationId.equals(from)).toList();
                    if (!reservation.status.holds() || moving.stream().noneMatch(l -> l.atRisk)) {
                        return Uni.createFrom().item(false);
                    }
                    boolean committed = reservation.status == ReservationStatus.COMMITTED;
                    List<StockChange> changes = new ArrayList<>();
                    changes.addAll(ReservationService.summed(moving, committed ? StockChange::uncommit
                            : StockChange::unreserve));
                    changes.addAll(ReservationService.summed(moving.stream().map(l -> retarget(l, target)).toList(),
                            committed ? StockChange::commitNew : StockChange::reserve));
                    return ledger.applyAll(changes).chain(updates -> {
                        Instant now = Instant.now();
                        moving.forEach(line -> {
                            line.locationId = target;
                            line.atRisk = false;
                        });
                        if (from.equals(reservation.pickupLocationId)) {
                            reservation.pickupLocationId = target;
                        }
                        reservation.updatedAt = now;
                        return Panache.getSession().chain(session -> session.flush())
                                .chain(() -> coverage.check(updates))
                                .chain(() -> availability.publish(updates))
                                .chain(() -> outbox.publish(CloudEvent.of(EventType.RESERVATION_REALLOCATED, SOURCE,
                                        reservationId.toString(), new ReservationReallocated(reservationId.toString(),
                                                reservation.profileId, from, target, moving.stream()
                                                .map(l -> new dev.omni.contracts.reservation.ReservationLine(l.sku,
                                                        l.locationId, l.quantity)).collect(Collectors.toList()),
                                                now))))
                                .invoke(() -> Log.infof("reservation %s moved from %s to %s", reservationId, from,
                                        target))
                                .replaceWith(true);
                    });
                }));
    }

    /** A copy of the line at another location, for computing the changes there. */
    private static ReservationLine retarget(ReservationLine line, String locationId) {
        ReservationLine copy = new ReservationLine();
        copy.sku = line.sku;
        copy.locationId = locationId;
        copy.quantity = line.quantity;
        return copy;
    }
}
