package dev.omni.gateway.availability;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.InvalidEventException;
import dev.omni.contracts.Topics;
import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.contracts.availability.ChannelAvailabilityChanged;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Reads {@code omni.availability} into the {@link AvailabilityCache}. Every gateway instance reads the compacted
 * topic from the start (its own consumer group, no commits), so a restarted instance rebuilds the whole picture.
 * Repeated event ids are dropped in memory; back-in-stock notices are for messaging, not for the cache. A record
 * that is not a valid event fails and goes to {@code omni.availability.dlq}. The instance is ready
 * ({@link AvailabilityCacheReadiness}) once it has applied what the topic held when it started.
 */
@ApplicationScoped
public class AvailabilityConsumer {

    private final AvailabilityCache cache;
    private final RecentEventIds recent;
    private final CatchUp catchUp = new CatchUp();

    public AvailabilityConsumer(AvailabilityCache cache, AvailabilityConfig config) {
        this.cache = cache;
        this.recent = new RecentEventIds(config.recentEventIds());
    }

    @Incoming(Topics.AVAILABILITY)
    public Uni<Void> consume(Message<String> message) {
        CloudEvent<?> event;
        try {
            event = EventCodec.decode(message.getPayload());
        } catch (InvalidEventException e) {
            Log.warnf("poison record on %s sent to the dead-letter topic: %s", Topics.AVAILABILITY, e.getMessage());
            return Uni.createFrom().completionStage(message.nack(e)).invoke(() -> read(message));
        }
        if (recent.firstTime(event.id())) {
            if (event.data() instanceof AvailabilityChanged changed) {
                cache.apply(changed);
            } else if (event.data() instanceof ChannelAvailabilityChanged changed) {
                cache.apply(changed);
            }
        }
        read(message);
        return Uni.createFrom().completionStage(message.ack());
    }

    private void read(Message<String> message) {
        message.getMetadata(IncomingKafkaRecordMetadata.class)
                .ifPresent(record -> catchUp.applied(record.getPartition(), record.getOffset()));
    }

    /** How far the cache has read the topic; {@link AvailabilityCacheReadiness} reports it. */
    CatchUp catchUp() {
        return catchUp;
    }
}
