package dev.omni.platform.outbox;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.platform.sql.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Records events to publish in the caller's transaction: call it inside {@code @WithTransaction} (or
 * {@code Panache.withTransaction}) next to the state change, and {@link OutboxRelay} publishes after commit.
 * Nothing is lost when Kafka is down, and nothing is published for a rolled-back change.
 * <p>
 * The rows are written at once on the transaction's connection, all events of one call in one statement (not as
 * entities at the next flush): under load an entity insert per event was the larger part of a request's database
 * work. Events of one call are stamped a microsecond apart, so the relay sends them in the order given.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = "INSERT INTO outbox_event (id, topic, record_key, event_type, payload, created_at)"
            + " SELECT * FROM unnest(?1::uuid[], ?2::text[], ?3::text[], ?4::text[], ?5::text[], ?6::timestamptz[])";

    private final NativeSql sql;

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
        int size = events.size();
        UUID[] ids = new UUID[size];
        String[] topics = new String[size];
        String[] keys = new String[size];
        String[] types = new String[size];
        String[] payloads = new String[size];
        Instant[] createdAt = new Instant[size];
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < size; i++) {
            CloudEvent<?> event = events.get(i);
            ids[i] = event.id();
            topics[i] = event.eventType().topic();
            keys[i] = event.key();
            types[i] = event.type();
            payloads[i] = EventCodec.encode(event);
            createdAt[i] = now.plus(i, ChronoUnit.MICROS);
        }
        return sql.write(INSERT, ids, topics, keys, types, payloads, createdAt).replaceWithVoid();
    }
}
