package dev.omni.attribution.journey;

import dev.omni.attribution.AttributionConfig;
import dev.omni.attribution.profile.AliasMap;
import dev.omni.attribution.profile.ProfileAlias;
import dev.omni.attribution.touchpoint.Conversion;
import dev.omni.attribution.touchpoint.ConversionView;
import dev.omni.attribution.touchpoint.Touchpoint;
import dev.omni.attribution.touchpoint.TouchpointStore;
import dev.omni.attribution.touchpoint.TouchpointView;
import dev.omni.contracts.TimeOrderedIds;
import dev.omni.platform.sql.NativeSql;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.hibernate.reactive.mutiny.Mutiny;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.omni.platform.metrics.Timed.timed;

/**
 * Keeps every profile's journeys — at the configured lookback and session gap, labelled in each dimension — in the
 * {@code journey_path} table, up to date as events stream in, so a report reads one row per journey ending in its
 * window instead of every touchpoint of the window and its lookback.
 *
 * <p><b>Writes.</b> A consumed touchpoint or conversion marks its profile stale ({@link #markStale}, table
 * {@code journey_stale}) in the event's transaction. Every {@code omni.attribution.journey-refresh-interval}, and
 * before a report reads the table, {@link #refreshStale} claims the marked profiles and, for each, deletes the
 * journeys of its group and builds them again from the group's rows with the same {@link JourneyBuilder} the full
 * recomputation uses.
 * A merge, an unmerge or an erasure rebuilds the groups concerned at once, in its own transaction ({@link #refresh}):
 * an erased profile's touches leave the journeys with it. The unit of work is one profile group, not the whole data
 * set; because it rebuilds from the rows, a late or out-of-order event simply lands where it belongs (a conversion
 * that arrives after later touches splits their journey; a touch older than a conversion joins its journey). A
 * rebuild reads every touch of the group's journeys, so a customer's burst of page views costs one rebuild per
 * interval, not one per poll. Rebuilds (the scheduled one, the one before a report, a merge's) serialise on a
 * transaction-level advisory lock taken before the rows are read, so each sees the rows every earlier one committed;
 * a mark and its event commit together, so a rebuild that claims the mark reads the event.
 *
 * <p><b>Reads.</b> {@link #paths} first rebuilds the stale profiles, then serves a window when the request uses the
 * configured lookback and no stored event lies at or after the window's end (the live window, which reports default
 * to): then the stored journeys are exactly those a full recomputation builds (the tests compare the two after
 * streams of events in random order). Another lookback, or a window that ends before some stored events (whose
 * non-converting journeys are cut at the window's end), is recomputed from the rows as before, and so is every
 * window when the rebuild before it fails.
 *
 * <p><b>Start.</b> The table records the lookback and session gap it was built with; when they differ from the
 * configuration (or on first start) every journey is rebuilt before the incremental path is used.
 */
@ApplicationScoped
public class JourneyMaterializer {

    /** Key of the advisory lock all journey maintenance takes. */
    static final long LOCK = 0x0A77_1B07_10L;
    static final String SEPARATOR = "\u001f";
    private static final Pattern SPLIT = Pattern.compile(SEPARATOR);
    private static final int MAX_HOPS = 64;
    /** Stops following merges into a group past this many ids (only inconsistent events could build one). */
    private static final int MAX_GROUP_IDS = 100_000;

    private static final String TOUCHPOINTS = "SELECT " + TouchpointStore.TOUCHPOINT_COLUMNS
            + " WHERE profile_id = ANY(?1)";
    private static final String CONVERSIONS = "SELECT " + TouchpointStore.CONVERSION_COLUMNS
            + " WHERE profile_id = ANY(?1)";
    /** A mark of its own per event transaction (migration V4 says why), every one of them claimed at once. */
    private static final String MARK_STALE = "INSERT INTO journey_stale (profile_id) SELECT unnest(?1::text[])";
    private static final String CLAIM_STALE = """
            WITH claimed AS MATERIALIZED (
                SELECT profile_id FROM journey_stale WHERE marked_at <= ?2
                GROUP BY profile_id ORDER BY min(marked_at) LIMIT ?1)
            DELETE FROM journey_stale s USING claimed c WHERE s.profile_id = c.profile_id AND s.marked_at <= ?2
            RETURNING s.profile_id""";
    /** Profiles rebuilt per transaction by {@link #refreshStale}. */
    static final int STALE_BATCH = 2_000;
    /**
     * Profiles whose rows a refresh holds in memory at once: 2,000 profiles with a hundred touches each were 200,000
     * rows and their journeys at a time, and G1 took more than half of attribution's samples (session 20).
     */
    static final int REBUILD_CHUNK = 200;
    private static final String DELETE_PATHS = "DELETE FROM journey_path WHERE owner_id = ANY(?1)";
    private static final String INSERT_PATHS = "INSERT INTO journey_path"
            + " (id, owner_id, dimension, end_at, conversion_id, value, labels, ages)"
            + " SELECT id, owner_id, dimension, end_at, conversion_id, value::numeric, labels, ages"
            + " FROM unnest(?1::uuid[], ?2::text[], ?3::text[], ?4::timestamptz[], ?5::uuid[], ?6::text[], ?7::text[],"
            + " ?8::text[]) AS t(id, owner_id, dimension, end_at, conversion_id, value, labels, ages)";

    private final AttributionConfig config;
    private final Pool pool;
    private final NativeSql sql;
    private final Timer refreshes;
    private final Counter rebuilt;
    private volatile boolean ready;

    public JourneyMaterializer(AttributionConfig config, Pool pool, NativeSql sql, MeterRegistry registry) {
        this.config = config;
        this.pool = pool;
        this.sql = sql;
        this.refreshes = Timer.builder("omni.attribution.journeys.refresh")
                .description("One rebuild of the profiles marked stale (scheduled or before a report)")
                .register(registry);
        this.rebuilt = Counter.builder("omni.attribution.journeys.rebuilt")
                .description("Profiles whose journeys a refresh rebuilt").register(registry);
    }

    // ------------------------------------------------------------------------------------------------------ writes

    /** Inside the caller's transaction: the journeys of these profiles are to be rebuilt ({@link #refreshStale}). */
    public Uni<Void> markStale(Collection<String> profileIds) {
        String[] ids = profileIds.stream().filter(id -> id != null && !id.isBlank()).distinct().toArray(String[]::new);
        if (ids.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return sql.write(MARK_STALE, (Object) ids).replaceWithVoid();
    }

    @Scheduled(every = "${omni.attribution.journey-refresh-interval}",
            delayed = "${omni.attribution.journey-refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduledRefresh() {
        return refreshStale().onFailure().recoverWithItem(failure -> {
            Log.warnf("journey_path: stale journeys not rebuilt (%s); retrying on the next run", failure.getMessage());
            return 0;
        }).replaceWithVoid();
    }

    /**
     * Rebuilds the journeys of every profile marked stale before it started, {@value #STALE_BATCH} per transaction;
     * how many profiles it rebuilt. Marks made meanwhile wait for the next run: under a steady stream a profile
     * rebuilt now is marked again by its next event, and draining those too would rebuild it once per poll again.
     */
    public Uni<Integer> refreshStale() {
        if (!ready) {
            return Uni.createFrom().item(0);
        }
        // the database's clock, which stamped the marks
        return timed(refreshes, pool.query("SELECT now() AS start").execute()
                .map(rows -> rows.iterator().next().getOffsetDateTime("start").toInstant())
                .chain(start -> Uni.createFrom().deferred(() -> Panache.withTransaction(() -> refreshBatch(start)))
                        .repeat().whilst(claimed -> claimed == STALE_BATCH)
                        .collect().with(Collectors.summingInt(Integer::intValue))))
                .invoke(n -> rebuilt.increment(n));
    }

    /** Claims up to {@value #STALE_BATCH} marks made before {@code start} and rebuilds their groups (which locks). */
    private Uni<Integer> refreshBatch(Instant start) {
        return sql.rows(CLAIM_STALE, STALE_BATCH, start).chain(rows -> {
            List<String> ids = rows.stream().map(row -> (String) row[0]).distinct().toList();
            return Multi.createFrom().iterable(ids).group().intoLists().of(REBUILD_CHUNK)
                    .onItem().transformToUniAndConcatenate(this::refresh)
                    .collect().last().replaceWith(ids.size());
        });
    }

    /**
     * Inside the caller's transaction, after its change: rebuilds the journeys of the groups the given ids belong to
     * now, and drops those stored under any of the ids (an id merged away no longer owns journeys).
     */
    public Uni<Void> refresh(Collection<String> profileIds) {
        Set<String> ids = new LinkedHashSet<>();
        profileIds.stream().filter(id -> id != null && !id.isBlank()).forEach(ids::add);
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // set-based: a handful of statements for all the ids (a consumed batch holds hundreds of profiles)
        return Panache.getSession().chain(session -> session.flush()
                .chain(() -> lock(session))
                .chain(() -> survivors(Set.copyOf(ids), new HashMap<>(), 0))
                .chain(upward -> {
                    AliasMap up = new AliasMap(upward);
                    Set<String> owners = new LinkedHashSet<>();
                    ids.forEach(id -> owners.add(up.resolve(id)));
                    Set<String> stale = new LinkedHashSet<>(ids);
                    stale.addAll(owners);
                    return absorbed(Set.copyOf(owners), new HashMap<>(), new HashSet<>(owners), 0)
                            .chain(downward -> sql.write(DELETE_PATHS, (Object) stale.toArray(String[]::new))
                                    .chain(() -> rebuild(owners, downward)));
                }));
    }

    /** Adds {@code absorbed -> survivor} for the ids and, hop by hop, for the profiles they were merged into. */
    private Uni<Map<String, String>> survivors(Set<String> frontier, Map<String, String> edges, int hops) {
        if (frontier.isEmpty() || hops >= MAX_HOPS) {
            return Uni.createFrom().item(edges);
        }
        return ProfileAlias.<ProfileAlias>list("absorbedId in ?1", List.copyOf(frontier)).chain(aliases -> {
            Set<String> next = new HashSet<>();
            for (ProfileAlias alias : aliases) {
                if (edges.putIfAbsent(alias.absorbedId, alias.survivorId) == null && !edges.containsKey(alias.survivorId)) {
                    next.add(alias.survivorId);
                }
            }
            return survivors(next, edges, hops + 1);
        });
    }

    /** Adds {@code absorbed -> survivor} for every profile merged, directly or not, into one of the owners. */
    private Uni<Map<String, String>> absorbed(Set<String> frontier, Map<String, String> edges, Set<String> seen,
            int hops) {
        if (frontier.isEmpty() || hops >= MAX_HOPS || seen.size() > MAX_GROUP_IDS) {
            return Uni.createFrom().item(edges);
        }
        return ProfileAlias.<ProfileAlias>list("survivorId in ?1", List.copyOf(frontier)).chain(aliases -> {
            Set<String> next = new HashSet<>();
            for (ProfileAlias alias : aliases) {
                if (seen.add(alias.absorbedId)) {
                    edges.put(alias.absorbedId, alias.survivorId);
                    next.add(alias.absorbedId);
                }
            }
            return absorbed(next, edges, seen, hops + 1);
        });
    }

    /**
     * Builds the journeys of every owner's group from one read of their touchpoints and conversions, read as values
     * on the transaction's connection (not as entities the session would keep and check at every flush) and written
     * in one statement.
     */
    private Uni<Void> rebuild(Set<String> owners, Map<String, String> downward) {
        Set<String> members = new LinkedHashSet<>(owners);
        members.addAll(downward.keySet());
        String[] ids = members.toArray(String[]::new);
        return sql.rows(TOUCHPOINTS, (Object) ids)
                .chain(touches -> sql.rows(CONVERSIONS, (Object) ids)
                        // the builder groups the rows by owner through the merges into the owners
                        .chain(conversions -> insert(rows(touches.stream().map(JourneyMaterializer::touchpoint).toList(),
                                conversions.stream().map(JourneyMaterializer::conversion).toList(),
                                new AliasMap(downward)))));
    }

    private Uni<Void> insert(List<JourneyPathRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.write(INSERT_PATHS,
                        NativeSql.column(rows, r -> r.id, UUID[]::new),
                        NativeSql.column(rows, r -> r.ownerId, String[]::new),
                        NativeSql.column(rows, r -> r.dimension, String[]::new),
                        NativeSql.column(rows, r -> r.endAt, Instant[]::new),
                        NativeSql.column(rows, r -> r.conversionId, UUID[]::new),
                        NativeSql.column(rows, r -> r.value == null ? null : r.value.toPlainString(), String[]::new),
                        NativeSql.column(rows, r -> r.labels, String[]::new),
                        NativeSql.column(rows, r -> r.ages, String[]::new))
                .replaceWithVoid();
    }

    /** Every journey of the given rows, over all time, as one row per dimension. */
    List<JourneyPathRow> rows(List<TouchpointView> touches, List<ConversionView> conversions, AliasMap aliases) {
        JourneyWindow allTime = new JourneyWindow(Instant.MIN.plus(config.lookback()), Instant.MAX, config.lookback());
        List<JourneyPathRow> rows = new ArrayList<>();
        for (Journey journey : JourneyBuilder.build(touches, conversions, aliases, allTime)) {
            for (Dimension dimension : Dimension.values()) {
                JourneyPaths.Path path = JourneyPaths.path(journey, dimension, config.sessionGap());
                JourneyPathRow row = new JourneyPathRow();
                row.id = TimeOrderedIds.next();
                row.ownerId = journey.profileId();
                row.dimension = dimension.wire();
                row.endAt = journey.end();
                row.conversionId = journey.converted() ? journey.conversion().id() : null;
                row.value = journey.converted() ? journey.conversion().value() : null;
                row.labels = String.join(SEPARATOR, path.labels());
                StringJoiner ages = new StringJoiner(",");
                for (double age : path.ages()) {
                    ages.add(Double.toString(age));
                }
                row.ages = ages.toString();
                rows.add(row);
            }
        }
        return rows;
    }

    private static Uni<Void> lock(Mutiny.Session session) {
        return session.createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(" + LOCK + ")) l")
                .getSingleResult().replaceWithVoid();
    }

    void onStart(@Observes StartupEvent start) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(this::rebuildIfStale));
    }

    /** Rebuilds every journey unless the table was built with the configured lookback and session gap. */
    Uni<Void> rebuildIfStale() {
        String lookback = config.lookback().toString();
        String gap = config.sessionGap().toString();
        return Panache.getSession().chain(session -> lock(session)
                .chain(() -> session.createNativeQuery(
                                "SELECT count(*) FROM journey_materialization WHERE id = 1 AND lookback = ?1"
                                        + " AND session_gap = ?2", Long.class)
                        .setParameter(1, lookback).setParameter(2, gap).getSingleResult())
                .chain(current -> {
                    if (current > 0) {
                        ready = true;
                        return Uni.createFrom().voidItem();
                    }
                    Log.infof("journey_path: building every journey (lookback %s, session gap %s)", lookback, gap);
                    return rebuildAll()
                            .chain(() -> session.createNativeQuery("INSERT INTO journey_materialization"
                                            + " (id, lookback, session_gap, built_at) VALUES (1, ?1, ?2, now())"
                                            + " ON CONFLICT (id) DO UPDATE SET lookback = excluded.lookback,"
                                            + " session_gap = excluded.session_gap, built_at = excluded.built_at")
                                    .setParameter(1, lookback).setParameter(2, gap).executeUpdate())
                            .invoke(() -> ready = true)
                            .replaceWithVoid();
                }));
    }

    private Uni<Void> rebuildAll() {
        // marks of events committed before this point are covered by the rows read below
        return sql.write("DELETE FROM journey_stale")
                .chain(() -> JourneyPathRow.deleteAll())
                .chain(() -> ProfileAlias.<ProfileAlias>listAll())
                .chain(aliases -> Touchpoint.<Touchpoint>listAll()
                        .chain(touches -> Conversion.<Conversion>listAll().chain(conversions -> {
                            Map<String, String> edges = new HashMap<>();
                            aliases.forEach(a -> edges.put(a.absorbedId, a.survivorId));
                            return insert(rows(touches.stream().map(JourneyMaterializer::view).toList(),
                                    conversions.stream().map(JourneyMaterializer::view).toList(), new AliasMap(edges)));
                        })));
    }

    // ------------------------------------------------------------------------------------------------------- reads

    /**
     * The stored journeys of the window in the dimension, or empty when the window cannot be served from them
     * (another lookback, stored events at or after its end, or the table not built yet).
     */
    public Uni<Optional<JourneyPaths>> paths(JourneyWindow window, Dimension dimension) {
        if (!ready || !window.lookback().equals(config.lookback())) {
            return Uni.createFrom().item(Optional.empty());
        }
        // a refresh that fails (the lock or the database) leaves the journeys behind the rows: recompute instead
        return refreshStale().replaceWith(true)
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("journey_path: stale journeys not rebuilt before a report (%s); recomputing from the"
                            + " rows", failure.getMessage());
                    return false;
                })
                .chain(fresh -> fresh ? stored(window, dimension) : Uni.createFrom().item(Optional.empty()));
    }

    private Uni<Optional<JourneyPaths>> stored(JourneyWindow window, Dimension dimension) {
        // one statement, one snapshot: the newest event and the journeys are read consistently
        String sql = "SELECT l.latest, j.conversion_id, j.value, j.labels, j.ages FROM (SELECT greatest("
                + "(SELECT max(occurred_at) FROM touchpoint), (SELECT max(occurred_at) FROM conversion)) AS latest) l"
                + " LEFT JOIN journey_path j ON j.dimension = $1 AND j.end_at >= $2 AND j.end_at < $3"
                + " AND (l.latest IS NULL OR l.latest < $3)"
                + " ORDER BY j.end_at, j.owner_id COLLATE \"C\", coalesce(j.conversion_id::text, '')";
        return pool.preparedQuery(sql).execute(Tuple.of(dimension.wire(), utc(window.from()), utc(window.to())))
                .map(rows -> {
                    List<JourneyPaths.Path> paths = new ArrayList<>();
                    for (Row row : rows) {
                        OffsetDateTime latest = row.getOffsetDateTime("latest");
                        if (latest != null && !latest.toInstant().isBefore(window.to())) {
                            return Optional.<JourneyPaths>empty();
                        }
                        String labels = row.getString("labels");
                        if (labels == null) {
                            continue;
                        }
                        paths.add(path(labels, row.getString("ages"), row.getUUID("conversion_id") != null,
                                row.getBigDecimal("value")));
                    }
                    return Optional.of(JourneyPaths.of(paths));
                });
    }

    static JourneyPaths.Path path(String labels, String ages, boolean converted, BigDecimal value) {
        List<String> list = labels.isEmpty() ? List.of() : List.of(SPLIT.split(labels, -1));
        double[] parsed = new double[list.size()];
        if (!list.isEmpty()) {
            String[] parts = ages.split(",");
            for (int i = 0; i < parsed.length; i++) {
                parsed[i] = Double.parseDouble(parts[i]);
            }
        }
        return new JourneyPaths.Path(list, parsed, converted, converted ? value.doubleValue() : 0);
    }

    /** Whether the table is built and reports may read it. */
    public boolean ready() {
        return ready;
    }

    private static TouchpointView view(Touchpoint t) {
        return new TouchpointView(t.id, t.profileId, t.occurredAt, t.channel, t.direct, t.online, t.eventName,
                t.campaign, t.source, t.medium, t.cost);
    }

    private static TouchpointView touchpoint(Object[] r) {
        return new TouchpointView((UUID) r[0], (String) r[1], NativeSql.instant(r[2]), (String) r[3], (Boolean) r[4],
                (Boolean) r[5], (String) r[6], (String) r[7], (String) r[8], (String) r[9], decimal(r[10]));
    }

    private static ConversionView conversion(Object[] r) {
        return new ConversionView((UUID) r[0], (String) r[1], NativeSql.instant(r[2]), decimal(r[3]), (String) r[4],
                (String) r[5], (Boolean) r[6], (String) r[7], (String) r[8]);
    }

    private static BigDecimal decimal(Object value) {
        return value == null || value instanceof BigDecimal ? (BigDecimal) value : new BigDecimal(value.toString());
    }

    private static ConversionView view(Conversion c) {
        return new ConversionView(c.id, c.profileId, c.occurredAt, c.value, c.currency, c.channel, c.online,
                c.eventName, c.campaign);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
