package dev.omni.platform.outbox;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Records events to publish in the caller's transaction: call it inside {@code @WithTransaction} (or
 * {@code Panache.withTransaction}) next to the state change, and {@link OutboxRelay} publishes after commit.
 * Nothing is lost when Kafka is down, and nothing is published for a rolled-back change.
 */
@ApplicationScoped
public class Outbox {

    public Uni<Void> publish(CloudEvent<?> event) {
        OutboxEvent row = new OutboxEvent();
        row.id = event.id();
        row.topic = event.eventType().topic();
        row.recordKey = event.key();
        row.eventType = event.type();
        row.payload = EventCodec.encode(event);
        row.createdAt = Instant.now();
        return row.persist().replaceWithVoid();
    }
}
