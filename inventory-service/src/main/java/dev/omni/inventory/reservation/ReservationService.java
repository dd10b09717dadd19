package dev.omni.inventory.reservation;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.reservation.ReservationChanged;
import dev.omni.inventory.Failures;
import dev.omni.inventory.GroupQueue;
import dev.omni.inventory.InventoryConfig;
import dev.omni.inventory.KnownReferences;
import dev.omni.inventory.Sequential;
import dev.omni.inventory.availability.AvailabilityPublisher;
import dev.omni.inventory.location.Location;
import dev.omni.inventory.profile.ProfileGroups;
import dev.omni.inventory.stock.InsufficientStockException;
import dev.omni.inventory.stock.StockChange;
import dev.omni.inventory.stock.StockKey;
import dev.omni.inventory.stock.StockLedger;
import dev.omni.inventory.stock.StockPicture;
import dev.omni.platform.outbox.Outbox;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import dev.omni.platform.sql.NativeSql;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.core.Response;
import org.hibernate.reactive.mutiny.Mutiny;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import static dev.omni.inventory.Events.SOURCE;
import static dev.omni.platform.sql.NativeSql.column;

/**
 * Reservations and their lifecycle: create (all lines or none, a bundle checked as the sum per sku@location),
 * extend, release, commit, fulfil, expire. Each step locks the reservation row, moves the quantities and writes its
 * events in one transaction.
 */
@ApplicationScoped
public class ReservationService {

    private static final int ATTEMPTS = 3;
    private static final String DEFAULT_CHANNEL = "web";

    private final InventoryConfig config;
    private final StockLedger ledger;
    private final AvailabilityPublisher availability;
    private final ReservationCoverage coverage;
    private final Outbox outbox;
    private final NativeSql sql;
    private final ProfileGroups groups;
    private final Vertx vertx;
    private final KnownReferences known;
    /** Reservations waiting for their sku@location's group transaction, per key. */
    private final Map<StockKey, GroupQueue<Waiting>> queues = new ConcurrentHashMap<>();

    public ReservationService(InventoryConfig config, StockLedger ledger, AvailabilityPublisher availability,
            ReservationCoverage coverage, Outbox outbox, NativeSql sql, ProfileGroups groups, Vertx vertx,
            KnownReferences known) {
        this.vertx = vertx;
        this.known = known;
        this.groups = groups;
        this.config = config;
        this.ledger = ledger;
        this.availability = availability;
        this.coverage = coverage;
        this.outbox = outbox;
        this.sql = sql;
    }

    /** @param replayed true when the Idempotency-Key was seen before: nothing new was reserved */
    public record Created(ReservationView reservation, boolean replayed) {
    }

    /**
     * Reserves every line or none. 409 names the first sku@location that has too little available; a repeated
     * {@code idempotencyKey} returns the first reservation, and 422 if the request differs.
     */
    public Uni<Created> create(ReservationRequest request, String idempotencyKey) {
        String channel = channel(request);
        List<Violation> violations = new ArrayList<>();
        if (request.lines().size() > config.limits().reservationLines()) {
            violations.add(Violation.body("lines", "at most " + config.limits().reservationLines() + " lines"));
        }
        for (int i = 0; i < request.lines().size(); i++) {
            if (request.lines().get(i).locationId() == null && request.pickupLocationId() == null) {
                violations.add(Violation.body("lines[" + i + "].locationId",
                        "required when the reservation names no pickupLocationId"));
            }
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            violations.add(new Violation("Idempotency-Key", "header", "1 to 200 characters"));
        }
        if (!violations.isEmpty()) {
            throw Problems.badRequest("the reservation is not valid", violations);
        }
        String hash = hash(request);
        StockKey single = singleKey(request);
        if (idempotencyKey == null && single != null && config.reservation().groupMax() > 1) {
            return grouped(single, request, channel, hash)
                    .onFailure(InsufficientStockException.class)
                    .transform(e -> insufficient((InsufficientStockException) e));
        }
        return individually(request, channel, idempotencyKey, hash);
    }

    private Uni<Created> individually(ReservationRequest request, String channel, String idempotencyKey,
            String hash) {
        return Uni.createFrom().deferred(() -> availability.tracked(() -> Panache.withTransaction(() ->
                        createOnce(request, channel, idempotencyKey, hash))))
                .onFailure(Failures::isRetryable).retry().atMost(ATTEMPTS)
                // the same Idempotency-Key raced us and won: answer with its reservation
                .onFailure(f -> idempotencyKey != null && Failures.isUniqueViolation(f))
                .recoverWithUni(() -> Panache.withSession(() -> byIdempotencyKey(idempotencyKey)
                        .chain(existing -> replay(existing, hash))))
                .onFailure(InsufficientStockException.class)
                .transform(e -> insufficient((InsufficientStockException) e));
    }

    private Uni<Created> createOnce(ReservationRequest request, String channel, String idempotencyKey, String hash) {
        Uni<Reservation> previous = idempotencyKey == null ? Uni.createFrom().nullItem()
                : byIdempotencyKey(idempotencyKey);
        return previous.chain(existing -> existing != null ? replay(existing, hash)
                : checkReferences(request).chain(() -> reserve(request, channel, idempotencyKey, hash)));
    }

    private Uni<Created> reserve(ReservationRequest request, String channel, String idempotencyKey, String hash) {
        Built built = build(request, channel, idempotencyKey, hash, Instant.now());
        Reservation reservation = built.reservation();
        List<ReservationLine> lines = built.lines();
        // rows first, stock last: the hot stock row stays locked only for the event rows and the commit
        return Panache.getSession()
                .chain(session -> session.persistAll(reservation).chain(() -> session.persistAll(lines.toArray()))
                        .chain(session::flush))
                .chain(() -> ledger.applyAll(summed(lines, StockChange::reserve)))
                .chain(updates -> availability.publish(updates))
                .chain(() -> publish(reservation, lines, "created"))
                .replaceWith(() -> new Created(ReservationView.of(reservation, lines), false));
    }

    private record Built(Reservation reservation, List<ReservationLine> lines) {
        int quantity() {
            return lines.stream().mapToInt(l -> l.quantity).sum();
        }
    }

    private Built build(ReservationRequest request, String channel, String idempotencyKey, String hash,
            Instant now) {
        Reservation reservation = new Reservation();
        reservation.id = UUID.randomUUID();
        reservation.profileId = request.profileId();
        reservation.channel = channel;
        reservation.status = ReservationStatus.ACTIVE;
        reservation.pickupLocationId = request.pickupLocationId();
        reservation.allowReallocation = Boolean.TRUE.equals(request.allowReallocation());
        reservation.reallocationRadiusKm = request.reallocationRadiusKm();
        reservation.idempotencyKey = idempotencyKey;
        reservation.requestHash = hash;
        reservation.createdAt = now;
        reservation.updatedAt = now;
        reservation.expiresAt = now.plus(config.reservation().ttlFor(channel));
        List<ReservationLine> lines = new ArrayList<>();
        for (int i = 0; i < request.lines().size(); i++) {
            ReservationRequest.Line line = request.lines().get(i);
            ReservationLine entity = new ReservationLine();
            entity.id = UUID.randomUUID();
            entity.reservationId = reservation.id;
            entity.lineNo = i + 1;
            entity.sku = line.sku();
            entity.locationId = line.locationId() != null ? line.locationId() : request.pickupLocationId();
            entity.quantity = line.quantity();
            lines.add(entity);
        }
        return new Built(reservation, lines);
    }

    // ---- grouped reservations of one hot sku@location --------------------------------------------------------------

    /** The one sku@location every line of the request reserves at, or null when the lines span several. */
    static StockKey singleKey(ReservationRequest request) {
        StockKey key = null;
        for (ReservationRequest.Line line : request.lines()) {
            StockKey lineKey = new StockKey(line.sku(),
                    line.locationId() != null ? line.locationId() : request.pickupLocationId());
            if (key != null && !key.equals(lineKey)) {
                return null;
            }
            key = lineKey;
        }
        return key;
    }

    private record Waiting(ReservationRequest request, String channel, String hash,
            UniEmitter<? super Created> emitter) {
    }

    /**
     * A reservation whose lines all reserve at one sku@location, without Idempotency-Key: checked, then queued for
     * its key. One group transaction per key at a time takes what queued up meanwhile (up to {@code group-max}),
     * inserts their reservations and lines, raises {@code reserved} by their sum with the one conditional UPDATE,
     * writes their events and commits; so the hot row is locked once per group, not once per request. When the sum
     * does not fit, the group runs again under the row lock, taking requests in arrival order while they fit; the
     * others fail alone (409). Every answer is given after the commit.
     */
    private Uni<Created> grouped(StockKey key, ReservationRequest request, String channel, String hash) {
        return GroupQueue.answered(emitter -> queues.computeIfAbsent(key, k -> new GroupQueue<>(vertx,
                        config.reservation().groupMax(), "reservation group " + k, group -> reserveGroup(k, group)))
                .add(new Waiting(request, channel, hash, emitter)));
    }

    /** Signals that the group's sum does not fit: roll back and split the group under the row lock. */
    private static final class GroupShort extends RuntimeException {
        GroupShort() {
            super(null, null, false, false);
        }
    }

    /** What one queued request gets: its reservation, or why not. */
    private record Outcome(Waiting waiting, Created created, RuntimeException refused) {
    }

    /**
     * The group's skus and locations are checked once for all its requests (they share one sku@location; once found
     * they are remembered, so usually without a query or session; a pickup store is asked each time): a request
     * naming an unknown sku or location, or a pickup store without pickup, is refused alone with its 400 before the
     * group transaction, as it would be on its own.
     */
    private Uni<Void> reserveGroup(StockKey key, List<Waiting> arrived) {
        return references(arrived.stream().map(Waiting::request).toList())
                .onItemOrFailure().transformToUni((references, failure) -> {
                    if (failure != null) {
                        arrived.forEach(waiting -> waiting.emitter().fail(failure));
                        return Uni.createFrom().voidItem();
                    }
                    List<Waiting> group = new ArrayList<>(arrived.size());
                    for (Waiting waiting : arrived) {
                        List<Violation> violations = references.violations(waiting.request());
                        if (violations.isEmpty()) {
                            group.add(waiting);
                        } else {
                            waiting.emitter().fail(invalidReferences(violations));
                        }
                    }
                    return group.isEmpty() ? Uni.createFrom().voidItem() : reserveChecked(key, group);
                });
    }

    private Uni<Void> reserveChecked(StockKey key, List<Waiting> group) {
        return availability.tracked(() -> Panache.withTransaction(() -> insertAndReserve(key, group)))
                .onFailure(GroupShort.class).recoverWithUni(() -> availability.tracked(() ->
                        Panache.withTransaction(() -> splitUnderLock(key, group))))
                .onFailure(Failures::isRetryable).retry().atMost(ATTEMPTS)
                .onItemOrFailure().transformToUni((outcomes, failure) -> {
                    if (failure == null) {
                        // committed: now every request learns its outcome
                        outcomes.forEach(o -> {
                            if (o.refused() != null) {
                                o.waiting().emitter().fail(o.refused());
                            } else {
                                o.waiting().emitter().complete(o.created());
                            }
                        });
                        return Uni.createFrom().voidItem();
                    }
                    // anything else: each request goes its own way, on the path that does not group
                    Log.debugf("reservation group %s failed (%s); each request alone", key, failure.getMessage());
                    return Sequential.each(group, waiting -> GroupQueue.answer(waiting.emitter(),
                            individually(waiting.request(), waiting.channel(), null, waiting.hash())));
                });
    }

    /** Every request of the group, or none (GroupShort when their sum is more than available). */
    private Uni<List<Outcome>> insertAndReserve(StockKey key, List<Waiting> group) {
        Instant now = Instant.now();
        List<Built> built = group.stream().map(w -> build(w.request(), w.channel(), null, w.hash(), now)).toList();
        int total = built.stream().mapToInt(Built::quantity).sum();
        // rows first, stock last, as for one reservation: the hot row is locked for the events and the commit only
        return insertRows(built)
                .chain(() -> ledger.applyAll(List.of(StockChange.reserve(key, total))))
                .onFailure(InsufficientStockException.class).transform(e -> new GroupShort())
                .chain(updates -> availability.publish(updates))
                .chain(() -> outbox.publishAll(built.stream()
                        .map(b -> changed(b.reservation(), b.lines(), "created")).toList()))
                .map(ignored -> {
                    List<Outcome> outcomes = new ArrayList<>(group.size());
                    for (int i = 0; i < group.size(); i++) {
                        outcomes.add(new Outcome(group.get(i), new Created(ReservationView.of(
                                built.get(i).reservation(), built.get(i).lines()), false), null));
                    }
                    return outcomes;
                });
    }

    private static final String INSERT_RESERVATIONS = """
            INSERT INTO reservation (id, profile_id, channel, status, pickup_location_id, allow_reallocation,
                reallocation_radius_km, order_id, idempotency_key, request_hash, expires_at, created_at, updated_at)
            SELECT * FROM unnest(?1::uuid[], ?2::text[], ?3::text[], ?4::text[], ?5::text[], ?6::boolean[],
                ?7::float8[], ?8::text[], ?9::text[], ?10::text[], ?11::timestamptz[], ?12::timestamptz[],
                ?13::timestamptz[])""";
    private static final String INSERT_LINES = """
            INSERT INTO reservation_line (id, reservation_id, line_no, sku, location_id, quantity, at_risk)
            SELECT * FROM unnest(?1::uuid[], ?2::uuid[], ?3::int[], ?4::text[], ?5::text[], ?6::int[], ?7::boolean[])""";

    /**
     * A group's reservations and lines in two statements (as entities they were two inserts per request and most of
     * the group's database work); the group transaction reads none of them back.
     */
    private Uni<Void> insertRows(List<Built> built) {
        List<Reservation> rows = built.stream().map(Built::reservation).toList();
        List<ReservationLine> lines = built.stream().flatMap(b -> b.lines().stream()).toList();
        return sql.write(INSERT_RESERVATIONS, column(rows, r -> r.id, UUID[]::new),
                        column(rows, r -> r.profileId, String[]::new), column(rows, r -> r.channel, String[]::new),
                        column(rows, r -> r.status, ReservationStatus[]::new),
                        column(rows, r -> r.pickupLocationId, String[]::new),
                        column(rows, r -> r.allowReallocation, Boolean[]::new),
                        column(rows, r -> r.reallocationRadiusKm, Double[]::new),
                        column(rows, r -> r.orderId, String[]::new),
                        column(rows, r -> r.idempotencyKey, String[]::new),
                        column(rows, r -> r.requestHash, String[]::new),
                        column(rows, r -> r.expiresAt, Instant[]::new), column(rows, r -> r.createdAt, Instant[]::new),
                        column(rows, r -> r.updatedAt, Instant[]::new))
                .chain(() -> sql.write(INSERT_LINES, column(lines, l -> l.id, UUID[]::new),
                        column(lines, l -> l.reservationId, UUID[]::new), column(lines, l -> l.lineNo, Integer[]::new),
                        column(lines, l -> l.sku, String[]::new), column(lines, l -> l.locationId, String[]::new),
                        column(lines, l -> l.quantity, Integer[]::new), column(lines, l -> l.atRisk, Boolean[]::new)))
                .replaceWithVoid();
    }

    /**
     * The group's sum did not fit: lock the row, take the requests in arrival order while they fit (a later smaller
     * one may still fit after a larger one did not), reserve those in one update, refuse the others.
     */
    private Uni<List<Outcome>> splitUnderLock(StockKey key, List<Waiting> group) {
        return ledger.lockExisting(key).chain(current -> {
            int remaining = current.map(StockPicture::available).orElse(0);
            List<Waiting> taken = new ArrayList<>();
            List<Waiting> refused = new ArrayList<>();
            for (Waiting waiting : group) {
                int quantity = waiting.request().lines().stream().mapToInt(ReservationRequest.Line::quantity).sum();
                if (quantity <= remaining) {
                    remaining -= quantity;
                    taken.add(waiting);
                } else {
                    refused.add(waiting);
                }
            }
            int left = remaining;
            Uni<List<Outcome>> reserved = taken.isEmpty() ? Uni.createFrom().item(new ArrayList<>())
                    : insertAndReserve(key, taken).map(ArrayList::new);
            return reserved.map(outcomes -> {
                refused.forEach(waiting -> outcomes.add(new Outcome(waiting, null, new InsufficientStockException(
                        StockChange.reserve(key, waiting.request().lines().stream()
                                .mapToInt(ReservationRequest.Line::quantity).sum()), left))));
                return outcomes;
            });
        });
    }

    /** A bundle holding the same sku@location on two lines is checked, and moved, as one sum. */
    static List<StockChange> summed(List<ReservationLine> lines, BiFunction<StockKey, Integer, StockChange> change) {
        Map<StockKey, Integer> sums = new TreeMap<>();
        lines.forEach(line -> sums.merge(line.key(), line.quantity, Integer::sum));
        return sums.entrySet().stream().map(e -> change.apply(e.getKey(), e.getValue())).toList();
    }

    private Uni<Void> checkReferences(ReservationRequest request) {
        return references(List.of(request)).invoke(references -> {
            List<Violation> violations = references.violations(request);
            if (!violations.isEmpty()) {
                throw invalidReferences(violations);
            }
        }).replaceWithVoid();
    }

    private static HttpProblem invalidReferences(List<Violation> violations) {
        return Problems.badRequest("the reservation is not valid; nothing was reserved", violations);
    }

    /**
     * Which of the requests' skus and line locations exist (remembered once found: {@link KnownReferences}), and
     * which of their pickup stores exist and offer pickup (asked each time: a store can stop offering it).
     */
    private record References(Set<String> skus, Set<String> locations, Map<String, Boolean> pickupByLocation) {

        List<Violation> violations(ReservationRequest request) {
            List<Violation> violations = new ArrayList<>();
            if (request.pickupLocationId() != null) {
                Boolean pickup = pickupByLocation.get(request.pickupLocationId());
                if (pickup == null) {
                    violations.add(Violation.body("pickupLocationId", "unknown location " + request.pickupLocationId()));
                } else if (!pickup) {
                    violations.add(Violation.body("pickupLocationId",
                            request.pickupLocationId() + " does not offer pickup"));
                }
            }
            for (int i = 0; i < request.lines().size(); i++) {
                ReservationRequest.Line line = request.lines().get(i);
                if (!skus.contains(line.sku())) {
                    violations.add(Violation.body("lines[" + i + "].sku", "unknown sku " + line.sku()));
                }
                if (line.locationId() != null && !locations.contains(line.locationId())) {
                    violations.add(Violation.body("lines[" + i + "].locationId", "unknown location " + line.locationId()));
                }
            }
            return violations;
        }
    }

    private Uni<References> references(List<ReservationRequest> requests) {
        Set<String> skus = new HashSet<>();
        Set<String> locations = new HashSet<>();
        Set<String> pickups = new HashSet<>();
        for (ReservationRequest request : requests) {
            request.lines().forEach(line -> {
                skus.add(line.sku());
                if (line.locationId() != null) {
                    locations.add(line.locationId());
                }
            });
            if (request.pickupLocationId() != null) {
                pickups.add(request.pickupLocationId());
            }
        }
        Uni<Map<String, Boolean>> pickup = pickups.isEmpty() ? Uni.createFrom().item(Map.of())
                : Panache.withSession(() -> Location.pickupByExistingId(pickups));
        return known.skus(skus).chain(knownSkus -> known.locations(locations).chain(knownLocations -> pickup
                .map(pickupByLocation -> new References(knownSkus, knownLocations, pickupByLocation))));
    }

    private static Uni<Reservation> byIdempotencyKey(String key) {
        return Reservation.find("idempotencyKey", key).firstResult();
    }

    private static Uni<Created> replay(Reservation existing, String hash) {
        if (!hash.equals(existing.requestHash)) {
            return Uni.createFrom().failure(HttpProblem.builder()
                    .withStatus(422).withTitle("Unprocessable Content")
                    .withDetail("Idempotency-Key was used for a different reservation request (" + existing.id + ")")
                    .build());
        }
        return ReservationLine.of(existing.id).map(lines -> new Created(ReservationView.of(existing, lines), true));
    }

    private static HttpProblem insufficient(InsufficientStockException e) {
        return HttpProblem.builder()
                .withStatus(Response.Status.CONFLICT)
                .withTitle("Insufficient stock")
                .withDetail(e.key() + ": " + e.requested() + " requested, " + e.available()
                        + " available; nothing was reserved")
                .with("sku", e.key().sku())
                .with("locationId", e.key().locationId())
                .with("requested", e.requested())
                .with("available", e.available())
                .build();
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------------

    public Uni<ReservationView> extend(UUID id, Duration by) {
        if (by == null || by.isNegative() || by.isZero()) {
            throw Problems.badRequest(Violation.body("by", "a positive ISO-8601 duration such as PT10M"));
        }
        return transition(id, (reservation, lines) -> {
            Instant now = Instant.now();
            requireLive(reservation, now, "extended");
            Instant expiresAt = reservation.expiresAt.plus(by);
            Instant limit = reservation.createdAt.plus(config.reservation().maxLifetime());
            if (expiresAt.isAfter(limit)) {
                throw Problems.conflict("a reservation lives at most " + config.reservation().maxLifetime()
                        + "; it can be extended until " + limit);
            }
            reservation.expiresAt = expiresAt;
            reservation.updatedAt = now;
            return publish(reservation, lines, "extended");
        });
    }

    /** Gives the units back; releasing a released or expired reservation changes nothing. */
    public Uni<ReservationView> release(UUID id) {
        return transition(id, (reservation, lines) -> switch (reservation.status) {
            case ACTIVE -> finish(reservation, lines, ReservationStatus.RELEASED, StockChange::unreserve, "released");
            case COMMITTED -> finish(reservation, lines, ReservationStatus.RELEASED, StockChange::uncommit, "released");
            case RELEASED, EXPIRED -> Uni.createFrom().voidItem();
            case FULFILLED -> Uni.createFrom().failure(Problems.conflict("reservation " + id + " is fulfilled"));
        });
    }

    /** The order is placed: reserved units become committed and no longer expire. */
    public Uni<ReservationView> commit(UUID id, String orderId) {
        return transition(id, (reservation, lines) -> {
            if (reservation.status == ReservationStatus.COMMITTED
                    && (orderId == null || orderId.equals(reservation.orderId))) {
                return Uni.createFrom().voidItem();
            }
            requireLive(reservation, Instant.now(), "committed");
            reservation.orderId = orderId;
            return finish(reservation, lines, ReservationStatus.COMMITTED, StockChange::commit, "committed");
        });
    }

    /** Handed to the customer: the units leave on hand. */
    public Uni<ReservationView> fulfil(UUID id) {
        return transition(id, (reservation, lines) -> switch (reservation.status) {
            case ACTIVE -> {
                requireLive(reservation, Instant.now(), "fulfilled");
                yield finish(reservation, lines, ReservationStatus.FULFILLED, StockChange::fulfilReserved, "fulfilled");
            }
            case COMMITTED -> finish(reservation, lines, ReservationStatus.FULFILLED, StockChange::fulfilCommitted,
                    "fulfilled");
            case FULFILLED -> Uni.createFrom().voidItem();
            case RELEASED, EXPIRED -> Uni.createFrom().failure(Problems.conflict("reservation " + id + " is "
                    + reservation.status.name().toLowerCase(Locale.ROOT)));
        });
    }

    /**
     * Called by {@link ReservationExpiry} with lapsed reservations it has locked: their units go back in one sorted
     * pass, so an expiry batch never locks two stock rows in an order another transaction could cross.
     */
    Uni<Void> expire(List<Reservation> lapsed) {
        Instant now = Instant.now();
        lapsed.forEach(reservation -> {
            reservation.status = ReservationStatus.EXPIRED;
            reservation.updatedAt = now;
        });
        return flush().chain(() -> ReservationLine.<ReservationLine>list("reservationId in ?1 order by lineNo",
                        lapsed.stream().map(r -> r.id).toList()))
                .chain(lines -> ledger.applyAll(summed(lines, StockChange::unreserve))
                        .call(updates -> coverage.check(updates))
                        .call(updates -> availability.publish(updates))
                        .chain(() -> Sequential.each(lapsed, reservation -> publish(reservation, lines.stream()
                                .filter(l -> l.reservationId.equals(reservation.id)).toList(), "expired"))));
    }

    /** See {@link AvailabilityPublisher#tracked}. */
    <T> Uni<T> tracked(java.util.function.Supplier<Uni<T>> transaction) {
        return availability.tracked(transaction);
    }

    private static Uni<Void> flush() {
        return Panache.getSession().chain(Mutiny.Session::flush);
    }

    private interface Step {
        Uni<Void> apply(Reservation reservation, List<ReservationLine> lines);
    }

    private Uni<ReservationView> transition(UUID id, Step step) {
        return Uni.createFrom().deferred(() -> availability.tracked(() -> Panache.withTransaction(() ->
                Reservation.<Reservation>findById(id,
                        LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> Problems.notFound("no reservation " + id))
                .chain(reservation -> ReservationLine.of(id).chain(lines -> step.apply(reservation, lines)
                        .chain(() -> ReservationLine.of(id))
                        .map(current -> ReservationView.of(reservation, current)))))))
                .onFailure(Failures::isRetryable).retry().atMost(ATTEMPTS);
    }

    private static void requireLive(Reservation reservation, Instant now, String step) {
        if (reservation.status != ReservationStatus.ACTIVE || !reservation.expiresAt.isAfter(now)) {
            String state = reservation.status == ReservationStatus.ACTIVE ? "expired"
                    : reservation.status.name().toLowerCase(Locale.ROOT);
            throw Problems.conflict("reservation " + reservation.id + " is " + state + " and cannot be " + step);
        }
    }

    private Uni<Void> finish(Reservation reservation, List<ReservationLine> lines, ReservationStatus status,
            BiFunction<StockKey, Integer, StockChange> change, String step) {
        reservation.status = status;
        reservation.updatedAt = Instant.now();
        // the new status is written first: the coverage check reads which reservations still hold stock; so is the
        // reservation's event, which needs nothing of the stock update: after the update (which locks the stock
        // rows, on a hot sku@store the row every other transaction waits for) only what needs its result remains
        return flush().chain(() -> publish(reservation, lines, step))
                .chain(() -> ledger.applyAll(summed(lines, change)))
                .call(updates -> coverage.check(updates))
                .chain(updates -> availability.publish(updates));
    }

    Uni<Void> publish(Reservation reservation, List<ReservationLine> lines, String step) {
        return outbox.publish(changed(reservation, lines, step));
    }

    private static CloudEvent<ReservationChanged> changed(Reservation reservation, List<ReservationLine> lines,
            String step) {
        return CloudEvent.of(EventType.RESERVATION_CHANGED, SOURCE, reservation.id.toString(),
                new ReservationChanged(reservation.id.toString(), reservation.profileId, step,
                        lines.stream().map(l -> new dev.omni.contracts.reservation.ReservationLine(l.sku, l.locationId,
                                l.quantity)).toList(),
                        reservation.status == ReservationStatus.ACTIVE ? reservation.expiresAt : null,
                        reservation.updatedAt));
    }

    // ---- reads and profile events ---------------------------------------------------------------------------------

    @WithSession
    public Uni<ReservationView> find(UUID id) {
        return Reservation.<Reservation>findById(id)
                .onItem().ifNull().failWith(() -> Problems.notFound("no reservation " + id))
                .chain(reservation -> ReservationLine.of(id).map(lines -> ReservationView.of(reservation, lines)));
    }

    /**
     * Reservations newest first, at most {@code query.limit()}: of a customer (the profile's and those of the profiles
     * merged into it) and/or only those at risk (still holding stock, a line uncovered), optionally only those with a
     * line at a location. Lines are read in one query for the whole page.
     */
    @WithSession
    public Uni<List<ReservationView>> list(ReservationQuery query) {
        Uni<List<String>> profiles = query.profileId() == null ? Uni.createFrom().item(List.<String>of())
                : groups.group(query.profileId());
        return profiles.chain(profileIds -> {
                    StringBuilder where = new StringBuilder("1 = 1");
                    Parameters parameters = new Parameters();
                    if (query.profileId() != null) {
                        where.append(" and r.profileId in :profiles");
                        parameters.and("profiles", profileIds);
                    }
                    if (query.atRisk()) {
                        where.append(" and r.status in :holding");
                        parameters.and("holding", List.of(ReservationStatus.ACTIVE, ReservationStatus.COMMITTED));
                    }
                    if (query.atRisk() || query.locationId() != null) {
                        where.append(" and exists (from ReservationLine l where l.reservationId = r.id")
                                .append(query.atRisk() ? " and l.atRisk = true" : "")
                                .append(query.locationId() != null ? " and l.locationId = :location" : "")
                                .append(')');
                        if (query.locationId() != null) {
                            parameters.and("location", query.locationId());
                        }
                    }
                    return Reservation.<Reservation>find("from Reservation r where " + where
                            + " order by r.createdAt desc, r.id", parameters).page(0, query.limit()).list();
                })
                .chain(reservations -> reservations.isEmpty() ? Uni.createFrom().item(List.<ReservationView>of())
                        : ReservationLine.<ReservationLine>list("reservationId in ?1 order by lineNo",
                                reservations.stream().map(r -> r.id).toList())
                        .map(lines -> reservations.stream().map(r -> ReservationView.of(r,
                                lines.stream().filter(l -> l.reservationId.equals(r.id)).toList())).toList()));
    }

    /** Erasure: the reservations stay (they hold stock) but no longer say whose they are. */
    public Uni<Integer> anonymise(List<String> profileIds) {
        return sql.execute("UPDATE reservation SET profile_id = NULL, updated_at = now() WHERE profile_id IN (?1)",
                profileIds);
    }

    private static String channel(ReservationRequest request) {
        return request.channel() == null ? DEFAULT_CHANNEL : request.channel();
    }

    private static String hash(ReservationRequest request) {
        try {
            byte[] json = EventCodec.mapper().writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a reservation request", e);
        }
    }
}
