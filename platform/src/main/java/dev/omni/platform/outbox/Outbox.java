package dev.omni.platform.outbox;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.platform.sql.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static dev.omni.platform.sql.NativeSql.column;

/**
 * Records events to publish in the caller's transaction: call it inside {@code @WithTransaction} (or
 * {@code Panache.withTransaction}) next to the state change, and {@link OutboxRelay} publishes after commit.
 * Nothing is lost when Kafka is down, and nothing is published for a rolled-back change.
 * <p>
 * The rows are written at once on the transaction's connection, all events of one call in one statement (not as
 * entities at the next flush): under load an entity insert per event was the larger part of a request's database
 * work. A caller on a plain Vert.x connection writes {@link #INSERT} with {@link #columns}. Every row is stamped
 * later than the one before on this instance (microseconds, PostgreSQL's precision), so the relay, which sends in
 * {@code created_at} order, keeps the order in which they were written.
 */
@ApplicationScoped
public class Outbox {

    /** One statement for many events; its parameters are {@link #columns}. */
    public static final String INSERT = """
            INSERT INTO outbox_event (id, topic, record_key, event_type, payload, created_at)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])""";

    private final NativeSql sql;
    private final AtomicLong lastStamp = new AtomicLong();

    public Outbox(NativeSql sql) {
        this.sql = sql;
    }

    public Uni<Void> publish(CloudEvent<?> event) {
        return publishAll(List.of(event));
    }

    /** Every event, in this order, in one statement. */
    public Uni<Void> publishAll(List<? extends CloudEvent<?>> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.write(INSERT, columns(events)).replaceWithVoid();
    }

    /** {@link #INSERT}'s parameters: id, topic, key, type, payload and a fresh stamp of each event, as arrays. */
    public Object[] columns(List<? extends CloudEvent<?>> events) {
        return new Object[] {column(events, CloudEvent::id, UUID[]::new),
                column(events, event -> event.eventType().topic(), String[]::new),
                column(events, CloudEvent::key, String[]::new), column(events, CloudEvent::type, String[]::new),
                column(events, EventCodec::encode, String[]::new),
                column(events, event -> stamp(), OffsetDateTime[]::new)};
    }

    /** Now, or a microsecond after the last stamp of this instance if that is not earlier. */
    public OffsetDateTime stamp() {
        long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        long micros = lastStamp.updateAndGet(last -> Math.max(last + 1, now));
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }
}
