package dev.omni.platform.inbox;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.InvalidEventException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.function.Function;

/**
 * The consuming side of every topic: decodes a record, and applies it exactly once per consumer by recording its
 * event id in {@code processed_event} in the same transaction as the handler's changes. A record that is not a
 * valid event fails at once (the channel's dead-letter strategy sends it to {@code <topic>.dlq}); a transient
 * failure is retried with backoff before it does.
 */
@ApplicationScoped
public class Inbox {

    private static final String MARK = "INSERT INTO processed_event (consumer, event_id, event_type, subject) "
            + "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";
    private static final int ATTEMPTS = 5;

    /**
     * @param consumer names the handler; one event may be applied once by each consumer of a service
     * @param value    the Kafka record value
     * @param handler  the state change, run in the inbox transaction; not called for a repeated event
     */
    public Uni<Void> consume(String consumer, String value, Function<CloudEvent<?>, Uni<Void>> handler) {
        CloudEvent<?> event;
        try {
            event = EventCodec.decode(value);
        } catch (InvalidEventException e) {
            Log.warnf("%s: poison record sent to dead-letter topic: %s", consumer, e.getMessage());
            return Uni.createFrom().failure(e);
        }
        return once(consumer, event, handler)
                .onFailure().invoke(failure -> Log.warnf("%s: %s %s failed: %s", consumer, event.type(), event.id(),
                        failure.getMessage()))
                .onFailure(failure -> !(failure instanceof InvalidEventException))
                .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(ATTEMPTS);
    }

    private Uni<Void> once(String consumer, CloudEvent<?> event, Function<CloudEvent<?>, Uni<Void>> handler) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(MARK)
                        .setParameter(1, consumer)
                        .setParameter(2, event.id())
                        .setParameter(3, event.type())
                        .setParameter(4, event.subject())
                        .executeUpdate())
                .chain(inserted -> inserted == 1 ? handler.apply(event) : skipRepeat(consumer, event)));
    }

    private static Uni<Void> skipRepeat(String consumer, CloudEvent<?> event) {
        Log.debugf("%s: event %s already processed", consumer, event.id());
        return Uni.createFrom().voidItem();
    }
}
