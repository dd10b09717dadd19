package dev.omni.platform.outbox;

import dev.omni.platform.kafka.KafkaSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static dev.omni.contracts.CloudEvent.CONTENT_TYPE;
import static dev.omni.platform.metrics.Timed.timed;

/**
 * Publishes outbox rows: claims a batch with {@code FOR UPDATE SKIP LOCKED} (so replicas share the work) and deletes
 * it in the same statement, sends each row to its topic keyed by the aggregate id in the order the rows were written,
 * waits for every acknowledgement, then commits. A failed send rolls the transaction back and the rows go out on the
 * next run: delivery is at least once and consumers dedupe by event id.
 * <p>
 * The relay has a small pool of its own (datasource {@code outbox}, the service's database): on the shared pool its
 * transaction queued behind the requests that write the rows, so under load events waited seconds for a connection
 * after their commit (bench/inventory (b)).
 */
@ApplicationScoped
public class OutboxRelay {

    /**
     * The claim is materialised before the delete: as {@code DELETE ... WHERE id IN (SELECT ... LIMIT $1 FOR UPDATE
     * SKIP LOCKED)} the planner, once statistics said the table was nearly empty, put the subquery on the inner side
     * of a nested loop and ran it again for every row of the table (31 s and 934 rows for one claim of 500 during
     * profile-service's ingest bench). The {@code (created_at, id)} index serves the order (migration V0_2), and
     * {@code $2} lets a claim start where the last one ended instead of at the head of the index, where the rows
     * deleted since the last vacuum lie (claims of 0.1–4.8 s once the outbox had churned through 100,000 rows).
     */
    private static final String CLAIM = """
            WITH claimed AS MATERIALIZED (
                SELECT id FROM outbox_event WHERE created_at >= $2
                ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
            DELETE FROM outbox_event o USING claimed c WHERE o.id = c.id
            RETURNING o.id, o.topic, o.record_key, o.payload, o.created_at""";
    /**
     * For the claim's transaction only: the index in {@code (created_at, id)} order, never a scan of every row. The
     * statistics of a queue table describe it as autovacuum last found it — empty — so while a backlog builds up the
     * planner expects one row and fetched all of them (a bitmap scan of 189,000–462,000 rows and a sort, 200–314 ms, to
     * claim 500; docs/benchmarks.md session 20), which made the relay slowest exactly when it had the most to send.
     */
    private static final String INDEX_ORDER = """
            SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)""";
    private static final OffsetDateTime HEAD = OffsetDateTime.parse("1970-01-01T00:00:00Z");
    private static final byte[] CONTENT_TYPE_BYTES = CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    /** A claimed row; sent in {@code (createdAt, id)} order, the order RETURNING does not promise. */
    private record Claimed(UUID id, String topic, String recordKey, String payload, OffsetDateTime createdAt) {
    }

    private final KafkaSender sender;
    private final Pool pool;
    private final OutboxConfig config;
    private final Counter published;
    private final Timer claims;
    private final Timer sends;
    private final AtomicBoolean running = new AtomicBoolean();
    /** Where the next claim starts: {@code resume-margin} before the newest row published; {@link #HEAD} at first. */
    private volatile OffsetDateTime resumeFrom = HEAD;
    /** When a claim last read from the head ({@link System#nanoTime()}); the first claims do, from {@link #HEAD}. */
    private volatile long lastFromHead = System.nanoTime();
    private long timer = -1;

    public OutboxRelay(KafkaSender sender, @ReactiveDataSource("outbox") Pool pool, OutboxConfig config,
            MeterRegistry registry) {
        this.sender = sender;
        this.pool = pool;
        this.config = config;
        this.published = Counter.builder("omni.outbox.published").description("Outbox events acknowledged by Kafka")
                .register(registry);
        this.claims = Timer.builder("omni.outbox.claim").description("Claiming (and deleting) a batch of outbox rows")
                .register(registry);
        this.sends = Timer.builder("omni.outbox.send")
                .description("Sending a claimed batch until Kafka acknowledged every record").register(registry);
    }

    /** Polls on a Vert.x timer: Quarkus' simple scheduler does not run jobs more often than once a second. */
    void start(@Observes StartupEvent startup, Vertx vertx) {
        if (!config.enabled()) {
            return;
        }
        timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
                VertxContextSafetyToggle.setContextSafe(context, true);
                context.runOnContext(ignored -> Uni.createFrom().deferred(this::drain)
                        .onTermination().invoke(() -> running.set(false))
                        .subscribe().with(sent -> { },
                                failure -> Log.warnf("outbox relay: %s; retrying", failure.getMessage())));
            }
        });
    }

    void stop(@Observes ShutdownEvent shutdown, Vertx vertx) {
        vertx.cancelTimer(timer);
    }

    /** Publishes until the outbox is empty; returns how many events went out. */
    public Uni<Integer> drain() {
        int batchSize = config.batchSize();
        return publishBatch(batchSize)
                .repeat().whilst(sent -> sent == batchSize)
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    /**
     * Claims, sends and deletes one batch. A claim starts {@code resume-margin} before the newest row the relay
     * published, and from the head of the outbox every {@code head-interval}: a row whose transaction committed after
     * later rows went out (its {@code created_at} is older than the margin) is published by the next claim from the
     * head, not lost.
     */
    private Uni<Integer> publishBatch(int batchSize) {
        return Uni.createFrom().deferred(() -> {
            long now = System.nanoTime();
            boolean fromHead = now - lastFromHead >= config.headInterval().toNanos();
            OffsetDateTime from = fromHead ? HEAD : resumeFrom;
            List<Claimed> batch = new ArrayList<>(batchSize);
            return pool.withTransaction(connection -> timed(claims, connection.preparedQuery(INDEX_ORDER).execute()
                            .chain(() -> connection.preparedQuery(CLAIM).execute(Tuple.of(batchSize, from))))
                    .chain(rows -> {
                        for (Row row : rows) {
                            batch.add(new Claimed(row.getUUID("id"), row.getString("topic"),
                                    row.getString("record_key"), row.getString("payload"),
                                    row.getOffsetDateTime("created_at")));
                        }
                        batch.sort(Comparator.comparing(Claimed::createdAt).thenComparing(Claimed::id));
                        return timed(sends, send(batch));
                    }))
                    .invoke(() -> {
                        if (fromHead) {
                            lastFromHead = now;
                        }
                        if (!batch.isEmpty()) {
                            OffsetDateTime next = batch.get(batch.size() - 1).createdAt().minus(config.resumeMargin());
                            if (next.isAfter(resumeFrom)) {
                                resumeFrom = next;
                            }
                        }
                    });
        });
    }

    private Uni<Integer> send(List<Claimed> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Uni<Void>> sends = batch.stream().map(this::send).toList();
        return Uni.join().all(sends).andCollectFailures()
                .invoke(() -> published.increment(batch.size()))
                .replaceWith(batch.size());
    }

    private Uni<Void> send(Claimed event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CONTENT_TYPE_BYTES);
        return sender.send(event.topic(), event.recordKey(), event.payload(), headers);
    }
}
