package dev.omni.attribution.touchpoint;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.Topics;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.platform.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Interactions from every channel become touchpoints and, with a value, conversions. */
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
    public Uni<Void> onInteraction(String value) {
        return inbox.consume(CONSUMER, value, this::record);
    }

    private Uni<Void> record(CloudEvent<?> event) {
        if (!(event.data() instanceof InteractionRecorded interaction)) {
            return Uni.createFrom().voidItem();
        }
        return recorder.recordInteraction(event.id(), event.time(), interaction);
    }
}
