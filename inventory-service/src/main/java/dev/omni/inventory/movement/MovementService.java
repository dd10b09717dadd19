package dev.omni.inventory.movement;

import dev.omni.contracts.InvalidEventException;
import dev.omni.contracts.stock.MovementKind;
import dev.omni.inventory.Failures;
import dev.omni.inventory.GroupQueue;
import dev.omni.inventory.InventoryConfig;
import dev.omni.inventory.KnownReferences;
import dev.omni.inventory.Sequential;
import dev.omni.inventory.availability.AvailabilityPublisher;
import dev.omni.inventory.reservation.Reallocation;
import dev.omni.inventory.reservation.ReservationCoverage;
import dev.omni.inventory.stock.StockChange;
import dev.omni.inventory.stock.StockLedger;
import dev.omni.inventory.stock.StockPicture;
import dev.omni.inventory.stock.StockUpdate;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Applies stock movements from POS and WMS, over HTTP or Kafka, the same way: each at most once (by movement id), a
 * batch all or nothing, the availability events and at-risk reservations in the same transaction.
 */
@ApplicationScoped
public class MovementService {

    /** Where movements came from decides how a refusal is reported. */
    public enum Origin {
        /** The caller hears every refusal (400, 409) and nothing is applied. */
        HTTP,
        /** No one to answer: a stale compare-and-set is recorded as REJECTED, anything invalid is dead-lettered. */
        KAFKA
    }

    private static final int ATTEMPTS = 3;

    private final StockLedger ledger;
    private final AvailabilityPublisher availability;
    private final ReservationCoverage coverage;
    private final Reallocation reallocation;
    private final Counter rejected;
    private final KnownReferences references;
    private final InventoryConfig config;
    private final GroupQueue<Waiting> group;
    private final DistributionSummary groupSizes;

    public MovementService(StockLedger ledger, AvailabilityPublisher availability, ReservationCoverage coverage,
            Reallocation reallocation, KnownReferences references, InventoryConfig config, Vertx vertx,
            MeterRegistry registry) {
        this.references = references;
        this.config = config;
        this.group = new GroupQueue<>(vertx, config.movements().groupMax(), "movement group", this::recordGroup);
        this.groupSizes = DistributionSummary.builder("omni.inventory.movements.group.size")
                .description("Single movements applied per group transaction").register(registry);
        this.ledger = ledger;
        this.availability = availability;
        this.coverage = coverage;
        this.reallocation = reallocation;
        this.rejected = Counter.builder("omni.inventory.movements.rejected")
                .description("Movements from Kafka whose compare-and-set failed").register(registry);
    }

    /**
     * Applies {@code movements} in order in one transaction. A movement id already recorded (before or earlier in the
     * batch) is answered with its first outcome and not applied again.
     */
    public Uni<List<MovementOutcome>> record(List<MovementRequest> movements) {
        if (movements.size() > 1 || config.movements().groupMax() <= 1) {
            return alone(movements);
        }
        return GroupQueue.answered(emitter -> group.add(new Waiting(movements, emitter)));
    }

    /** {@link #record} in a transaction of its own. */
    private Uni<List<MovementOutcome>> alone(List<MovementRequest> movements) {
        // a repeated movement id is rare: the first attempt does not look for one, the movement row's primary key
        // refuses it at commit, and the attempts after that look and answer it as DUPLICATE
        AtomicBoolean first = new AtomicBoolean(true);
        return Uni.createFrom()
                .deferred(() -> availability.tracked(() -> Panache.withTransaction(() -> recordInTransaction(movements,
                        Origin.HTTP, !first.getAndSet(false)))))
                // a concurrent request recorded the same movement id first, or a lock cycle was broken: run again
                .onFailure(f -> Failures.isUniqueViolation(f) || Failures.isRetryable(f)).retry().atMost(ATTEMPTS)
                .call(recorded -> reallocation.reallocate(recorded.atRisk()))
                .map(Recorded::outcomes);
    }

    private record Waiting(List<MovementRequest> movements, UniEmitter<? super List<MovementOutcome>> emitter) {
    }

    /**
     * Single movements that arrived while the group before committed, applied in arrival order in one transaction
     * as if one after the other (a movement id repeated in the group is the later one's DUPLICATE). Each caller is
     * answered after the commit and the offers of at-risk reservations. When the group fails (a refused movement, a
     * failure that outlasted the retries), each request runs on its own and gets its own answer, so one bad movement
     * never refuses another.
     */
    private Uni<Void> recordGroup(List<Waiting> waiting) {
        groupSizes.record(waiting.size());
        List<MovementRequest> movements = waiting.stream().flatMap(w -> w.movements().stream()).toList();
        return alone(movements).onItemOrFailure().transformToUni((outcomes, failure) -> {
            if (failure == null) {
                int from = 0;
                for (Waiting request : waiting) {
                    int to = from + request.movements().size();
                    request.emitter().complete(outcomes.subList(from, to));
                    from = to;
                }
                return Uni.createFrom().voidItem();
            }
            Log.debugf("movement group of %d failed (%s); each request alone", waiting.size(), failure.getMessage());
            return Sequential.each(waiting, request -> GroupQueue.answer(request.emitter(),
                    alone(request.movements())));
        });
    }

    /**
     * @param outcomes one per movement, in order
     * @param atRisk   reservations this batch left uncovered; offer them to {@link Reallocation} after commit
     */
    public record Recorded(List<MovementOutcome> outcomes, List<UUID> atRisk) {
    }

    /** The same, in the caller's transaction (the Kafka inbox's). */
    public Uni<Recorded> recordInTransaction(List<MovementRequest> movements, Origin origin) {
        return recordInTransaction(movements, origin, true);
    }

    /**
     * @param lookUpRecorded false to skip looking for the movement ids first; only for a caller that runs the
     *                       transaction again (looking) when it fails on a unique violation
     */
    private Uni<Recorded> recordInTransaction(List<MovementRequest> movements, Origin origin, boolean lookUpRecorded) {
        Batch batch = new Batch(origin, movements.size() == 1);
        return checkReferences(movements, origin)
                .chain(() -> lookUpRecorded ? StockMovement.<StockMovement>list("movementId in ?1",
                        movements.stream().map(MovementRequest::movementId).collect(Collectors.toSet()))
                        : Uni.createFrom().item(List.<StockMovement>of()))
                .invoke(existing -> existing.forEach(m -> batch.recorded.put(m.movementId, m)))
                .chain(() -> Sequential.map(indexed(movements), item -> apply(batch, item.index(), item.request())))
                .chain(outcomes -> coverage.check(batch.updates)
                        .call(() -> availability.publish(batch.updates))
                        .map(atRisk -> new Recorded(outcomes, atRisk)));
    }

    private Uni<MovementOutcome> apply(Batch batch, int index, MovementRequest movement) {
        StockMovement previous = batch.recorded.get(movement.movementId());
        if (previous != null) {
            if (!previous.sameAs(movement)) {
                return Uni.createFrom().failure(batch.refuse(index, "movementId " + movement.movementId()
                        + " was recorded for a different movement (" + previous.kind + " of " + previous.quantity
                        + " " + previous.sku + "@" + previous.locationId + ")"));
            }
            return Uni.createFrom().item(new MovementOutcome(null, movement.movementId(),
                    MovementOutcome.Status.DUPLICATE, previous.picture(), previous.reason));
        }
        return checkTransfer(batch, index, movement)
                .chain(() -> change(movement))
                .chain(result -> result.update() != null
                        ? recordApplied(batch, movement, result.update())
                        : recordRejected(batch, index, movement, result.current()));
    }

    private record Attempt(StockUpdate update, StockPicture current) {
    }

    /** The movement's change of on hand, guarded by its expected on hand; the current picture when that fails. */
    private Uni<Attempt> change(MovementRequest movement) {
        Integer expected = movement.expectedOnHand();
        if (movement.kind() == MovementKind.COUNT) {
            return ledger.lock(movement.key()).chain(current -> expected != null && current.onHand() != expected
                    ? Uni.createFrom().item(new Attempt(null, current))
                    : ledger.apply(StockChange.onHand(movement.key(), movement.onHandDelta(current.onHand()), null))
                            .map(update -> new Attempt(update.orElseThrow(), current)));
        }
        return ledger.apply(StockChange.onHand(movement.key(), movement.onHandDelta(0), expected))
                .chain(update -> update.isPresent() ? Uni.createFrom().item(new Attempt(update.get(), null))
                        : ledger.lock(movement.key()).map(current -> new Attempt(null, current)));
    }

    private Uni<MovementOutcome> recordApplied(Batch batch, MovementRequest movement, StockUpdate update) {
        batch.updates.add(update);
        StockMovement recorded = StockMovement.of(movement, StockMovement.Status.APPLIED, null, update.after(),
                Instant.now());
        batch.recorded.put(movement.movementId(), recorded);
        return recorded.persist().replaceWith(new MovementOutcome(null, movement.movementId(),
                MovementOutcome.Status.APPLIED, update.after(), null));
    }

    private Uni<MovementOutcome> recordRejected(Batch batch, int index, MovementRequest movement, StockPicture current) {
        String reason = "expected on hand " + movement.expectedOnHand() + " but it is " + current.onHand();
        if (batch.origin == Origin.HTTP) {
            return Uni.createFrom().failure(HttpProblem.builder()
                    .withStatus(Response.Status.CONFLICT)
                    .withTitle("Conflict")
                    .withDetail((batch.single ? "" : "[" + index + "] ") + movement.movementId() + ": " + reason
                            + "; nothing was applied")
                    .with("movementId", movement.movementId())
                    .with("onHand", current.onHand())
                    .build());
        }
        rejected.increment();
        Log.warnf("movement %s rejected: %s", movement.movementId(), reason);
        StockMovement recorded = StockMovement.of(movement, StockMovement.Status.REJECTED, reason, current,
                Instant.now());
        batch.recorded.put(movement.movementId(), recorded);
        return recorded.persist().replaceWith(new MovementOutcome(null, movement.movementId(),
                MovementOutcome.Status.REJECTED, current, reason));
    }

    /** The two legs of a transfer: one out, one in, same sku, different locations, no more in than went out. */
    private Uni<Void> checkTransfer(Batch batch, int index, MovementRequest movement) {
        if (movement.kind() != MovementKind.TRANSFER_IN && movement.kind() != MovementKind.TRANSFER_OUT) {
            return Uni.createFrom().voidItem();
        }
        return StockMovement.<StockMovement>list("transferId = ?1 and status = ?2", movement.transferId(),
                StockMovement.Status.APPLIED).map(stored -> {
                    Map<String, StockMovement> legs = new HashMap<>();
                    stored.forEach(leg -> legs.put(leg.movementId, leg));
                    batch.recorded.values().stream()
                            .filter(leg -> movement.transferId().equals(leg.transferId)
                                    && leg.status == StockMovement.Status.APPLIED)
                            .forEach(leg -> legs.put(leg.movementId, leg));
                    for (StockMovement leg : legs.values()) {
                        String problem = leg.kind == movement.kind() ? "already has its " + leg.kind + " leg"
                                : !leg.sku.equals(movement.sku()) ? "moves " + leg.sku + ", not " + movement.sku()
                                : leg.locationId.equals(movement.locationId()) ? "cannot end where it starts"
                                : inQuantity(leg, movement) > outQuantity(leg, movement)
                                        ? "receives more than was sent" : null;
                        if (problem != null) {
                            throw batch.refuse(index, "transfer " + movement.transferId() + " " + problem);
                        }
                    }
                    return null;
                });
    }

    private static int inQuantity(StockMovement leg, MovementRequest movement) {
        return movement.kind() == MovementKind.TRANSFER_IN ? movement.quantity() : leg.quantity;
    }

    private static int outQuantity(StockMovement leg, MovementRequest movement) {
        return movement.kind() == MovementKind.TRANSFER_OUT ? movement.quantity() : leg.quantity;
    }

    /** Unknown skus or locations: 400 naming each (HTTP), or a poison record (Kafka). */
    private Uni<Void> checkReferences(List<MovementRequest> movements, Origin origin) {
        Set<String> skus = movements.stream().map(MovementRequest::sku).collect(Collectors.toCollection(TreeSet::new));
        Set<String> locations = movements.stream().map(MovementRequest::locationId)
                .collect(Collectors.toCollection(TreeSet::new));
        return references.skus(skus)
                .chain(knownSkus -> references.locations(locations)
                        .map(knownLocations -> {
                            List<Violation> violations = new ArrayList<>();
                            boolean batch = movements.size() > 1;
                            for (int i = 0; i < movements.size(); i++) {
                                String prefix = batch ? "[" + i + "]." : "";
                                MovementRequest m = movements.get(i);
                                if (!knownSkus.contains(m.sku())) {
                                    violations.add(Violation.body(prefix + "sku", "unknown sku " + m.sku()));
                                }
                                if (!knownLocations.contains(m.locationId())) {
                                    violations.add(Violation.body(prefix + "locationId",
                                            "unknown location " + m.locationId()));
                                }
                            }
                            if (violations.isEmpty()) {
                                return null;
                            }
                            if (origin == Origin.KAFKA) {
                                throw new InvalidEventException(violations.stream()
                                        .map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")));
                            }
                            throw Problems.badRequest("movements name unknown skus or locations; nothing was applied",
                                    violations);
                        }));
    }

    @WithSession
    public Uni<StockMovement> find(String movementId) {
        return StockMovement.<StockMovement>findById(movementId)
                .onItem().ifNull().failWith(() -> Problems.notFound("no movement " + movementId));
    }

    @WithSession
    public Uni<List<StockMovement>> ofTransfer(String transferId) {
        return StockMovement.list("transferId = ?1 order by recordedAt", transferId);
    }

    private record Indexed(int index, MovementRequest request) {
    }

    private static List<Indexed> indexed(List<MovementRequest> movements) {
        List<Indexed> indexed = new ArrayList<>(movements.size());
        for (int i = 0; i < movements.size(); i++) {
            indexed.add(new Indexed(i, movements.get(i)));
        }
        return indexed;
    }

    /** The state of one transaction's batch. */
    private static final class Batch {
        final Origin origin;
        final boolean single;
        final Map<String, StockMovement> recorded = new HashMap<>();
        final List<StockUpdate> updates = new ArrayList<>();

        Batch(Origin origin, boolean single) {
            this.origin = origin;
            this.single = single;
        }

        RuntimeException refuse(int index, String reason) {
            return origin == Origin.KAFKA ? new InvalidEventException(reason)
                    : Problems.conflict((single ? "" : "[" + index + "] ") + reason + "; nothing was applied");
        }
    }
}
