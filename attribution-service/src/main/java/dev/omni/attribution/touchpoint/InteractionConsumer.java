package dev.omni.attribution.touchpoint;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.Topics;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.platform.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.HashSet;
import java.util.Set;

/**
 * Interactions from every channel become touchpoints and, with a value, conversions. The topic carries most of the
 * traffic, so it is consumed a poll at a time ({@code batch=true}): one transaction per poll, its touchpoints and
 * conversions written in one statement each, and the poll's profiles marked for the next journey rebuild
 * ({@link dev.omni.attribution.journey.JourneyMaterializer#markStale}) however many of their events it held.
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

    /**
     * The poll's erased profiles are read first, in one query, by the records' keys (an interaction's key is its
     * profile id; an event under another key looks its profile up alone).
     */
    @Incoming(Topics.INTERACTIONS)
    public Uni<Void> onInteractions(ConsumerRecords<String, String> records) {
        Set<String> keys = new HashSet<>();
        records.forEach(record -> {
            if (record.key() != null) {
                keys.add(record.key());
            }
        });
        return recorder.erasures(keys).chain(known -> inbox.consumeAll(CONSUMER, records,
                event -> record(event, known), recorder::store));
    }

    /** What the event records, or null. */
    private Uni<TouchpointRecorder.Recorded> record(CloudEvent<?> event, TouchpointRecorder.Erasures known) {
        if (!(event.data() instanceof InteractionRecorded interaction)) {
            return Uni.createFrom().nullItem();
        }
        return recorder.recordInteraction(event.id(), event.time(), interaction, known);
    }
}
