package dev.omni.attribution.touchpoint;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.Topics;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.platform.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Opened and clicked messages are touchpoints of their channel (email, sms, push). */
@ApplicationScoped
public class MessageEventConsumer {

    static final String CONSUMER = "attribution-messages";

    private final Inbox inbox;
    private final TouchpointRecorder recorder;

    public MessageEventConsumer(Inbox inbox, TouchpointRecorder recorder) {
        this.inbox = inbox;
        this.recorder = recorder;
    }

    @Incoming(Topics.MESSAGE_EVENTS)
    public Uni<Void> onMessageEvent(String value) {
        return inbox.consume(CONSUMER, value, this::record);
    }

    private Uni<Void> record(CloudEvent<?> event) {
        if (!(event.data() instanceof MessageStatusChanged message)) {
            return Uni.createFrom().voidItem();
        }
        return recorder.recordMessage(event.id(), event.type(), event.time(), message);
    }
}
