package dev.omni.attribution.touchpoint;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.Topics;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.platform.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Opened and clicked messages are touchpoints of their channel (email, sms, push). A poll is one inbox transaction,
 * and the other status changes (queued, sent, ...), most of the topic, are not recorded at all: no journey changes
 * for them, so there is nothing to apply only once.
 */
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
    public Uni<Void> onMessageEvents(ConsumerRecords<String, String> records) {
        return inbox.consumeAll(CONSUMER, records, event -> TouchpointRecorder.MESSAGE_TOUCHES.contains(event.type()),
                this::record, recorder::store);
    }

    /** What the event records, or null. */
    private Uni<TouchpointRecorder.Recorded> record(CloudEvent<?> event) {
        if (!(event.data() instanceof MessageStatusChanged message)) {
            return Uni.createFrom().nullItem();
        }
        return recorder.recordMessage(event.id(), event.type(), event.time(), message);
    }
}
