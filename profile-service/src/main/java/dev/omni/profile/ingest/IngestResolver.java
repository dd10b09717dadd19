package dev.omni.profile.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.TimeOrderedIds;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.profile.Identifier;
import dev.omni.contracts.profile.ProfileCreated;
import dev.omni.platform.outbox.Outbox;
import dev.omni.profile.continuity.ContinuityService;
import dev.omni.profile.loyalty.LoyaltyConfig;
import dev.omni.profile.segment.SegmentService;
import dev.omni.profile.tx.Transactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.omni.platform.metrics.Timed.timed;

/**
 * Drains the accept log in order, a few hundred events per round.
 * <p>
 * The common case — a {@code page} or {@code track} from a customer whose identifiers all resolve to one profile, or
 * from a visitor none of whose identifiers is known yet — is applied set-based: one transaction per run of such
 * events claims them (deletes them from the log), locks their survivors and checks the identifiers still resolve the
 * same, creates the new visitors' profiles, and writes timeline rows, outbox events, recently viewed items and the
 * messageIds' profiles in one multi-row statement each. Everything else (identify, merges, new identifiers for a
 * known customer, orders earning points, an erased profile) and every event that shares an identifier or a profile
 * with such an event later in the round goes through {@link IngestionService#applyStaged} one by one, as do the
 * events of a run whose transaction failed. Runs and single events are applied in log order, so one customer's
 * events reach {@code omni.interactions} in the order they were accepted.
 */
@ApplicationScoped
public class IngestResolver {

    /**
     * From {@code $2} on, not from the head: claimed events stay in the table (and its index) as dead rows until vacuum
     * removes them, and a read from the head stepped over all of them — 3.5 ms per round on average at 5,000 events/s,
     * and 26 ms when the planner, misled by the vacuumed table's statistics, chose to scan all of it and sort
     * (docs/benchmarks.md, session 20). The newest events are read once they commit; {@link #resumeAfter} says from where.
     */
    private static final String READ = """
            SELECT seq, message_id, payload, awaited FROM accepted_event WHERE seq > $2 ORDER BY seq LIMIT $1""";
    private static final String OWNERS = """
            SELECT k.type, k.value, p.survivor_id, p.erased_at IS NOT NULL AS erased
            FROM unnest($1::text[], $2::text[]) AS k(type, value)
            JOIN profile_identifier i ON i.type = k.type AND i.value = k.value
            JOIN profile p ON p.id = i.profile_id""";
    private static final String CLAIM = "DELETE FROM accepted_event WHERE seq = ANY($1) RETURNING seq";
    private static final String LOCK_ROOTS = """
            SELECT id FROM profile WHERE id = ANY($1) AND survivor_id = id AND erased_at IS NULL ORDER BY id FOR UPDATE""";
    private static final String INSERT_PROFILES = """
            INSERT INTO profile (id, traits, created_at, updated_at, survivor_id)
            SELECT id, '{}'::jsonb, at, at, id FROM unnest($1::uuid[], $2::timestamptz[]) AS t(id, at)""";
    private static final String INSERT_IDENTIFIERS = """
            INSERT INTO profile_identifier (type, value, profile_id, first_seen)
            SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::timestamptz[])
            ON CONFLICT DO NOTHING RETURNING type""";
    private static final String INSERT_TIMELINE = """
            INSERT INTO timeline_entry (id, profile_id, channel, kind, name, occurred_at, details)
            SELECT id, profile_id, channel, 'interaction', name, occurred_at, details::jsonb
            FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
                AS t(id, profile_id, channel, name, occurred_at, details)""";
    private static final String REMEMBER = """
            UPDATE ingested_message m SET profile_id = u.profile_id
            FROM unnest($1::text[], $2::uuid[]) AS u(message_id, profile_id) WHERE m.message_id = u.message_id""";
    private static final String SET_ASIDE = """
            WITH gone AS (DELETE FROM accepted_event WHERE seq = $1 RETURNING seq, message_id, payload, accepted_at)
            INSERT INTO accepted_event_failed (seq, message_id, payload, accepted_at, failed_at, error)
            SELECT seq, message_id, payload, accepted_at, now(), $2 FROM gone""";

    private final Pool pool;
    private final EventParser parser;
    private final ObjectMapper mapper;
    private final IngestionService single;
    private final ContinuityService continuity;
    private final LoyaltyConfig loyalty;
    private final SegmentService segments;
    private final AcceptLog log;
    private final IngestConfig config;
    private final Outbox outbox;
    private final ObjectMapper details = new ObjectMapper().findAndRegisterModules();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final Counter batched;
    private final Counter alone;
    private final Timer rounds;
    /** The highest seq each recent round read, with when: {nanoTime, seq}; drained into {@link #resumeFrom}. */
    private final ArrayDeque<long[]> recentReads = new ArrayDeque<>();
    /** Reads start after this seq: the highest one read at least {@code resume-margin} ago (0: the head). */
    private long resumeFrom;
    /** When a round last read from the head ({@link System#nanoTime()}); {@code null}: the next round does. */
    private Long lastFromHead;
    private volatile boolean paused;
    private Vertx vertx;
    private long timer = -1;

    public IngestResolver(Pool pool, EventParser parser, ObjectMapper mapper, IngestionService single,
            ContinuityService continuity, LoyaltyConfig loyalty, SegmentService segments, AcceptLog log,
            IngestConfig config, MeterRegistry registry, Outbox outbox) {
        this.outbox = outbox;
        this.pool = pool;
        this.parser = parser;
        this.mapper = mapper;
        this.single = single;
        this.continuity = continuity;
        this.loyalty = loyalty;
        this.segments = segments;
        this.log = log;
        this.config = config;
        this.batched = Counter.builder("omni.ingest.resolved").tag("path", "batch")
                .description("Accepted events applied set-based").register(registry);
        this.alone = Counter.builder("omni.ingest.resolved").tag("path", "single")
                .description("Accepted events applied one by one").register(registry);
        this.rounds = Timer.builder("omni.ingest.round")
                .description("One resolver round: reading up to batch-size accepted events and applying them")
                .register(registry);
    }

    void start(@Observes StartupEvent startup, Vertx vertx) {
        this.vertx = vertx;
        if (config.resolverEnabled()) {
            timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> wake());
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Drains the log now (or right after the drain under way): called after every accept. */
    public void wake() {
        if (vertx == null || !config.resolverEnabled() || paused) {
            return;
        }
        again.set(true);
        if (!running.compareAndSet(false, true)) {
            return;
        }
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> Uni.createFrom().deferred(() -> drain(context))
                .onTermination().invoke(() -> {
                    running.set(false);
                    if (again.get() && !paused) {
                        wake();
                    }
                })
                .subscribe().with(n -> { }, failure -> Log.warnf(failure, "ingest resolver: %s; retrying",
                        failure.getMessage())));
    }

    /** Stops applying accepted events (they stay in the log, still accepted); for tests and operators. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        wake();
    }

    private Uni<Integer> drain(Context context) {
        again.set(false);
        int size = config.batchSize();
        return round(context, size)
                .repeat().whilst(n -> !paused && (n == size || again.getAndSet(false)))
                .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue));
    }

    /** One round: reads up to {@code size} accepted events and applies them; how many it read. */
    private Uni<Integer> round(Context context, int size) {
        return timed(rounds, Uni.createFrom().deferred(() -> applyRound(context, size)));
    }

    private Uni<Integer> applyRound(Context context, int size) {
        long now = System.nanoTime();
        boolean fromHead = lastFromHead == null || now - lastFromHead >= config.headInterval().toNanos();
        long after = fromHead ? 0 : resumeAfter(now);
        return pool.preparedQuery(READ).execute(Tuple.of(size, after)).chain(rows -> {
            List<Item> items = new ArrayList<>();
            for (Row row : rows) {
                items.add(item(row));
            }
            if (fromHead) {
                lastFromHead = now;
            }
            if (items.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            recentReads.addLast(new long[] {now, items.get(items.size() - 1).seq});
            return owners(pool, keysOf(items)).map(owners -> plan(items, owners))
                    .chain(steps -> Multi.createFrom().iterable(steps)
                            .onItem().transformToUniAndConcatenate(step -> step.size() == 1 && !step.get(0).fast
                                    ? applyAlone(context, step.get(0))
                                    : applyRun(context, step))
                            .collect().last())
                    .replaceWith(items.size())
                    .onFailure(ClaimLost.class).recoverWithItem(0);
        }).onFailure().invoke(() -> {
            // what the round read may still be in the log (the database went away): the next round starts at the head
            lastFromHead = null;
        });
    }

    /**
     * Where a read starts: after the highest seq read at least {@code resume-margin} ago. Seqs are taken when an
     * accept inserts and become visible when it commits, so a read can see a later one before an earlier one; the
     * margin gives the earlier one that long to commit, the read from the head every {@code head-interval} catches
     * one that took longer. The resolver's rounds run one at a time, so this state needs no lock.
     */
    private long resumeAfter(long now) {
        long margin = config.resumeMargin().toNanos();
        for (long[] read = recentReads.peekFirst(); read != null && now - read[0] >= margin;
                read = recentReads.peekFirst()) {
            resumeFrom = Math.max(resumeFrom, read[1]);
            recentReads.pollFirst();
        }
        return resumeFrom;
    }

    private Item item(Row row) {
        EventParser.Parsed parsed;
        try {
            parsed = parser.parse(mapper.readTree(row.getString("payload")), "");
        } catch (Exception e) {
            parsed = EventParser.Parsed.invalid(List.of(dev.omni.platform.problem.Violation.body("body",
                    String.valueOf(e.getMessage()))));
        }
        return new Item(row.getLong("seq"), row.getString("message_id"), row.getBoolean("awaited"), parsed);
    }

    private static Set<Key> keysOf(List<Item> items) {
        Set<Key> keys = new LinkedHashSet<>();
        items.forEach(i -> keys.addAll(i.keys));
        return keys;
    }

    /**
     * Sorts a round into steps, in log order: a run of events applied set-based, or one event alone. An event goes
     * alone when it needs identity work or side effects the batch does not do, and so does every later event
     * sharing an identifier or a profile with it (it may merge them or attach to them).
     */
    private List<List<Item>> plan(List<Item> items, Map<Key, Owner> owners) {
        Set<Key> taintedKeys = new HashSet<>();
        Set<UUID> taintedRoots = new HashSet<>();
        Map<Key, UUID> createdHere = new HashMap<>();
        List<List<Item>> steps = new ArrayList<>();
        List<Item> run = new ArrayList<>();
        for (Item item : items) {
            classify(item, owners, taintedKeys, taintedRoots, createdHere);
            if (item.fast) {
                run.add(item);
            } else {
                if (!run.isEmpty()) {
                    steps.add(run);
                    run = new ArrayList<>();
                }
                steps.add(List.of(item));
            }
        }
        if (!run.isEmpty()) {
            steps.add(run);
        }
        return steps;
    }

    private void classify(Item item, Map<Key, Owner> owners, Set<Key> taintedKeys, Set<UUID> taintedRoots,
            Map<Key, UUID> createdHere) {
        EventParser.Parsed parsed = item.parsed;
        boolean simple = parsed.valid() && !"identify".equals(parsed.event().type())
                && !("track".equals(parsed.event().type()) && loyalty.orderEvents().contains(parsed.event().name()))
                && item.keys.stream().noneMatch(taintedKeys::contains);
        if (simple) {
            Set<Owner> known = new HashSet<>();
            int unknown = 0;
            for (Key key : item.keys) {
                Owner owner = owners.get(key);
                if (owner == null) {
                    unknown++;
                } else {
                    known.add(owner);
                }
            }
            if (unknown == 0 && known.size() == 1) {
                Owner owner = known.iterator().next();
                if (!owner.erased() && !taintedRoots.contains(owner.root())) {
                    item.fast = true;
                    item.root = owner.root();
                }
            } else if (known.isEmpty()) {
                Set<UUID> here = new HashSet<>();
                int missing = 0;
                for (Key key : item.keys) {
                    UUID root = createdHere.get(key);
                    if (root == null) {
                        missing++;
                    } else {
                        here.add(root);
                    }
                }
                if (here.isEmpty()) {
                    item.fast = true;
                    item.root = TimeOrderedIds.next();
                    item.creates = true;
                    item.keys.forEach(k -> createdHere.put(k, item.root));
                } else if (missing == 0 && here.size() == 1 && !taintedRoots.contains(here.iterator().next())) {
                    item.fast = true;
                    item.root = here.iterator().next();
                }
            }
        }
        if (!item.fast) {
            taintedKeys.addAll(item.keys);
            for (Key key : item.keys) {
                Owner owner = owners.get(key);
                if (owner != null) {
                    taintedRoots.add(owner.root());
                }
                UUID created = createdHere.get(key);
                if (created != null) {
                    taintedRoots.add(created);
                }
            }
        }
    }

    private static Uni<Map<Key, Owner>> owners(SqlClientLike client, Set<Key> keys) {
        String[] types = new String[keys.size()];
        String[] values = new String[keys.size()];
        int i = 0;
        for (Key key : keys) {
            types[i] = key.type();
            values[i++] = key.value();
        }
        return client.query(OWNERS, Tuple.of(types, values)).map(rows -> {
            Map<Key, Owner> owners = new HashMap<>();
            for (Row row : rows) {
                owners.put(new Key(row.getString("type"), row.getString("value")),
                        new Owner(row.getUUID("survivor_id"), row.getBoolean("erased")));
            }
            return owners;
        });
    }

    private static Uni<Map<Key, Owner>> owners(Pool pool, Set<Key> keys) {
        return owners((sql, args) -> pool.preparedQuery(sql).execute(args), keys);
    }

    private static Uni<Map<Key, Owner>> owners(SqlConnection connection, Set<Key> keys) {
        return owners((sql, args) -> connection.preparedQuery(sql).execute(args), keys);
    }

    @FunctionalInterface
    private interface SqlClientLike {
        Uni<RowSet<Row>> query(String sql, Tuple args);
    }

    /** A run set-based in one transaction; when it fails for any reason but a lost claim, each event alone. */
    private Uni<Void> applyRun(Context context, List<Item> run) {
        Instant now = Instant.now();
        return pool.withTransaction(connection -> writeRun(connection, run, now))
                .emitOn(command -> context.runOnContext(v -> command.run()))
                .invoke(() -> batched.increment(run.size()))
                .call(() -> evaluateSegments(run, now))
                .invoke(() -> run.forEach(item -> {
                    if (item.awaited) {
                        log.resolved(item.seq, new AcceptLog.Outcome(IngestResult.Status.ACCEPTED, item.root,
                                List.of(), List.of()));
                    }
                }))
                // the database went away: the run stays in the log, the next drain tries it again as it is
                .onFailure(f -> !(f instanceof ClaimLost) && !Transactions.isConnectionLost(f)).recoverWithUni(failure -> {
                    Log.debugf("ingest resolver: a run of %d applied one by one (%s)", run.size(), failure.getMessage());
                    run.forEach(item -> item.fast = false);
                    return Multi.createFrom().iterable(run)
                            .onItem().transformToUniAndConcatenate(item -> applyAlone(context, item))
                            .collect().last().replaceWithVoid();
                });
    }

    /**
     * Every statement of the run, sent at once: the connection pipelines them and PostgreSQL runs them in order, so
     * the run costs one round trip instead of a dozen (each one a wait for a busy database on a busy machine). What
     * the plan assumed is checked on the answers — every event claimed, every survivor locked and unchanged, every
     * identifier still its own or free — and when it no longer holds, the transaction is rolled back.
     */
    private Uni<Void> writeRun(SqlConnection connection, List<Item> run, Instant now) {
        Long[] seqs = run.stream().map(i -> i.seq).toArray(Long[]::new);
        Set<Key> existingKeys = new LinkedHashSet<>();
        Map<UUID, Item> creators = new LinkedHashMap<>();
        run.forEach(i -> {
            if (i.creates) {
                creators.put(i.root, i);
            } else if (!creators.containsKey(i.root)) {
                existingKeys.addAll(i.keys);
            }
        });
        // survivors that existed before the run (not the visitors it creates), locked in id order
        List<UUID> existing = run.stream().map(i -> i.root).filter(root -> !creators.containsKey(root))
                .distinct().sorted().toList();
        List<Uni<Void>> statements = new ArrayList<>();
        statements.add(connection.preparedQuery(CLAIM).execute(Tuple.of((Object) seqs)).invoke(claimed -> {
            if (claimed.rowCount() != seqs.length) {
                throw new ClaimLost();
            }
        }).replaceWithVoid());
        if (!existing.isEmpty()) {
            statements.add(connection.preparedQuery(LOCK_ROOTS)
                    .execute(Tuple.of((Object) existing.toArray(UUID[]::new)))
                    .invoke(locked -> stale(locked.rowCount() != existing.size(), "a survivor changed"))
                    .replaceWithVoid());
            // read after the locks: the identifiers of a locked survivor cannot move until the commit
            statements.add(owners(connection, existingKeys)
                    .invoke(owners -> run.stream().filter(i -> !i.creates && !creators.containsKey(i.root))
                            .forEach(i -> i.keys.forEach(k -> stale(owners.get(k) == null
                                    || !owners.get(k).root().equals(i.root), "an identifier moved"))))
                    .replaceWithVoid());
        }
        if (!creators.isEmpty()) {
            statements.addAll(create(connection, creators, now));
        }
        statements.addAll(outboxAndTimeline(connection, run, creators, now));
        List<ContinuityService.View> views = new ArrayList<>();
        for (Item item : run) {
            IncomingEvent event = item.parsed.event();
            if ("track".equals(event.type()) && event.properties() != null) {
                String sku = continuity.viewedSku(event.name(), event.properties().get("sku"));
                if (sku != null) {
                    views.add(new ContinuityService.View(item.root, sku, event.channel().wire(),
                            occurredAt(event, now)));
                }
            }
        }
        statements.add(continuity.viewedAll(connection, views));
        List<Item> remembered = run.stream().filter(i -> i.messageId != null).toList();
        if (!remembered.isEmpty()) {
            statements.add(connection.preparedQuery(REMEMBER).execute(Tuple.of(
                            remembered.stream().map(i -> i.messageId).toArray(String[]::new),
                            remembered.stream().map(i -> i.root).toArray(UUID[]::new)))
                    .replaceWithVoid());
        }
        // every answer is awaited (and the first failure in statement order reported) before the commit
        return Uni.join().all(statements).andCollectFailures().replaceWithVoid()
                .onFailure(CompositeException.class).transform(IngestResolver::first);
    }

    /** The failure of the earliest statement: the later ones only say the transaction was aborted. */
    private static Throwable first(Throwable failure) {
        List<Throwable> causes = ((CompositeException) failure).getCauses();
        for (Throwable cause : causes) {
            if (cause instanceof ClaimLost || cause instanceof StaleRun) {
                return cause;
            }
        }
        return causes.get(0);
    }

    private List<Uni<Void>> create(SqlConnection connection, Map<UUID, Item> creators, Instant now) {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        UUID[] ids = creators.keySet().toArray(UUID[]::new);
        // strictly increasing in the order of the log: "the oldest survives" a later merge of two of them
        OffsetDateTime[] createdAt = new OffsetDateTime[ids.length];
        for (int i = 0; i < ids.length; i++) {
            createdAt[i] = outbox.stamp();
        }
        List<String> types = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<UUID> profiles = new ArrayList<>();
        creators.forEach((id, item) -> item.keys.forEach(k -> {
            types.add(k.type());
            values.add(k.value());
            profiles.add(id);
        }));
        OffsetDateTime[] firstSeen = new OffsetDateTime[types.size()];
        java.util.Arrays.fill(firstSeen, at);
        return List.of(connection.preparedQuery(INSERT_PROFILES).execute(Tuple.of(ids, createdAt)).replaceWithVoid(),
                connection.preparedQuery(INSERT_IDENTIFIERS).execute(Tuple.of(
                                types.toArray(String[]::new), values.toArray(String[]::new),
                                profiles.toArray(UUID[]::new), firstSeen))
                        .invoke(inserted -> stale(inserted.rowCount() != types.size(),
                                "an identifier was taken meanwhile"))
                        .replaceWithVoid());
    }

    /** {@code omni.profile.created} before a new visitor's first interaction, every event's interaction in order. */
    private List<Uni<Void>> outboxAndTimeline(SqlConnection connection, List<Item> run, Map<UUID, Item> creators,
            Instant now) {
        List<CloudEvent<?>> events = new ArrayList<>();
        int n = run.size();
        UUID[] timelineIds = new UUID[n];
        UUID[] timelineProfiles = new UUID[n];
        String[] channels = new String[n];
        String[] names = new String[n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        String[] detailJson = new String[n];
        for (int i = 0; i < n; i++) {
            Item item = run.get(i);
            IncomingEvent event = item.parsed.event();
            String profileId = item.root.toString();
            if (creators.get(item.root) == item) {
                events.add(CloudEvent.of(EventType.PROFILE_CREATED, IngestionService.SOURCE, profileId,
                        new ProfileCreated(profileId, item.keys.stream().map(k -> new Identifier(k.type(), k.value()))
                                .toList(), now)));
            }
            Instant at = occurredAt(event, now);
            Map<String, Object> properties = event.properties() == null ? Map.of() : event.properties();
            events.add(CloudEvent.of(EventType.INTERACTION_RECORDED, IngestionService.SOURCE, profileId,
                    new InteractionRecorded(profileId, event.messageId(), event.type(), event.name(), event.channel(),
                            at, properties, event.value(), event.currency(), event.campaign())));
            timelineIds[i] = TimeOrderedIds.next();
            timelineProfiles[i] = item.root;
            channels[i] = event.channel().wire();
            names[i] = event.name();
            occurred[i] = at.atOffset(ZoneOffset.UTC);
            try {
                detailJson[i] = details.writeValueAsString(properties);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return List.of(connection.preparedQuery(INSERT_TIMELINE)
                        .execute(Tuple.of(timelineIds, timelineProfiles, channels, names, occurred, detailJson))
                        .replaceWithVoid(),
                connection.preparedQuery(Outbox.INSERT).execute(Tuple.wrap(outbox.columns(events))).replaceWithVoid());
    }

    private static Instant occurredAt(IncomingEvent event, Instant now) {
        return event.timestamp() != null ? event.timestamp() : now;
    }

    /** Segment membership of every customer of the run, after its commit (one transaction). */
    private Uni<Void> evaluateSegments(List<Item> run, Instant now) {
        if (segments.noneDefined()) {
            return Uni.createFrom().voidItem();
        }
        List<UUID> roots = run.stream().map(i -> i.root).distinct().toList();
        return Transactions.retrying(() -> Multi.createFrom().iterable(roots)
                        .onItem().transformToUniAndConcatenate(root -> segments.evaluate(root, now))
                        .collect().last().replaceWithVoid())
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("ingest resolver: segments of %d profiles not evaluated on arrival: %s", roots.size(),
                            failure.getMessage());
                    return null;
                });
    }

    /** One event in its own transaction; an event that fails even alone is set aside with its error, not lost. */
    private Uni<Void> applyAlone(Context context, Item item) {
        Uni<AcceptLog.Outcome> applied;
        if (!item.parsed.valid()) {
            applied = setAside(item, "no longer valid: " + item.parsed.violations())
                    .replaceWith(new AcceptLog.Outcome(IngestResult.Status.REJECTED, null, List.of(), List.of()));
        } else {
            applied = Uni.createFrom().deferred(() -> single.applyStaged(item.seq, item.parsed))
                    .runSubscriptionOn(command -> context.runOnContext(v -> command.run()))
                    .invoke(outcome -> alone.increment())
                    // only a failure of the event itself sets it aside; a lost connection leaves it in the log
                    .onFailure(f -> !Transactions.isConnectionLost(f)).recoverWithUni(failure -> {
                        Log.errorf(failure, "ingest resolver: accepted event %d (messageId %s) could not be applied; "
                                + "kept in accepted_event_failed", item.seq, item.messageId);
                        return setAside(item, String.valueOf(failure)).replaceWith(new AcceptLog.Outcome(
                                IngestResult.Status.ACCEPTED, null, List.of(), List.of("not applied: " + failure)));
                    });
        }
        return applied.emitOn(command -> context.runOnContext(v -> command.run()))
                .invoke(outcome -> {
                    if (outcome != null) {
                        item.root = outcome.profileId();
                        if (item.awaited) {
                            log.resolved(item.seq, outcome);
                        }
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> setAside(Item item, String error) {
        return pool.preparedQuery(SET_ASIDE).execute(Tuple.of(item.seq, error)).replaceWithVoid();
    }

    private static void stale(boolean condition, String why) {
        if (condition) {
            throw new StaleRun(why);
        }
    }

    record Key(String type, String value) {
    }

    record Owner(UUID root, boolean erased) {
    }

    private static final class Item {
        final long seq;
        final String messageId;
        final boolean awaited;
        final EventParser.Parsed parsed;
        final List<Key> keys;
        boolean fast;
        boolean creates;
        UUID root;

        Item(long seq, String messageId, boolean awaited, EventParser.Parsed parsed) {
            this.seq = seq;
            this.messageId = messageId;
            this.awaited = awaited;
            this.parsed = parsed;
            this.keys = parsed.identifiers().entrySet().stream()
                    .map(e -> new Key(e.getKey().wire(), e.getValue())).toList();
        }

        @Override
        public String toString() {
            return "accepted event " + seq + Objects.toString(messageId, "");
        }
    }

    /** Another resolver claimed events of the run first: the round ends, the next one reads the log again. */
    private static final class ClaimLost extends RuntimeException {
        ClaimLost() {
            super("another resolver claimed these events", null, false, false);
        }
    }

    /** What the run was planned on changed before its survivors were locked: its events go one by one. */
    private static final class StaleRun extends RuntimeException {
        StaleRun(String why) {
            super(why, null, false, false);
        }
    }
}
