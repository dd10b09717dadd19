package dev.omni.attribution.touchpoint;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.Topics;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.platform.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;

/**
 * Interactions from every channel become touchpoints and, with a value, conversions. The topic carries most of the
 * traffic, so it is consumed a poll at a time ({@code batch=true}): one transaction per poll, and each profile's
 * journeys rebuilt once per poll however many of its events it held.
 */
@ApplicationScoped
public class InteractionConsumer {

    static final String CONSUMER = "attribution-interactions";

    private final Inbox inbox;
    private final TouchpointRecorder recorder;

    public InteractionConsumer(Inbox inbox, TouchpointRecorder recorder) {
        this.inbox = inbox;
        this.recorder = recorder;
    }

    @Incoming(Topics.INTERACTIONS)
    public Uni<Void> onInteractions(ConsumerRecords<String, String> records) {
        return inbox.consumeAll(CONSUMER, records, this::record, recorder::refreshJourneys);
    }

    /** The profile whose journeys changed, or null. */
    private Uni<String> record(CloudEvent<?> event) {
        if (!(event.data() instanceof InteractionRecorded interaction)) {
            return Uni.createFrom().nullItem();
        }
        return recorder.recordInteraction(event.id(), event.time(), interaction);
    }
}
