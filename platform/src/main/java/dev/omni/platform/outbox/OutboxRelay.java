package dev.omni.platform.outbox;

import dev.omni.platform.kafka.KafkaSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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

    private static final String CLAIM = """
            DELETE FROM outbox_event WHERE id IN (
                SELECT id FROM outbox_event ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, topic, record_key, payload, created_at""";
    private static final byte[] CONTENT_TYPE_BYTES = CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    /** A claimed row; sent in {@code (createdAt, id)} order, the order RETURNING does not promise. */
    private record Claimed(UUID id, String topic, String recordKey, String payload, OffsetDateTime createdAt) {
    }

    private final KafkaSender sender;
    private final Pool pool;
    private final OutboxConfig config;
    private final Counter published;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public OutboxRelay(KafkaSender sender, @ReactiveDataSource("outbox") Pool pool, OutboxConfig config,
            MeterRegistry registry) {
        this.sender = sender;
        this.pool = pool;
        this.config = config;
        this.published = Counter.builder("omni.outbox.published").description("Outbox events acknowledged by Kafka")
                .register(registry);
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

    private Uni<Integer> publishBatch(int batchSize) {
        return pool.withTransaction(connection -> connection.preparedQuery(CLAIM).execute(Tuple.of(batchSize))
                .chain(rows -> {
                    List<Claimed> batch = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        batch.add(new Claimed(row.getUUID("id"), row.getString("topic"), row.getString("record_key"),
                                row.getString("payload"), row.getOffsetDateTime("created_at")));
                    }
                    batch.sort(Comparator.comparing(Claimed::createdAt).thenComparing(Claimed::id));
                    return send(batch);
                }));
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
