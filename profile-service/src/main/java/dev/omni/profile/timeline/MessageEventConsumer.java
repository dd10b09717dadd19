package dev.omni.profile.timeline;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.Topics;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.platform.inbox.Inbox;
import dev.omni.profile.identity.Profile;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Messages sent to a customer show on their timeline, so the next agent knows what the brand already said. A poll
 * is one inbox transaction (each message is two events or more: queued, sent, opened, ...).
 */
@ApplicationScoped
public class MessageEventConsumer {

    static final String CONSUMER = "profile-timeline";

    private final Inbox inbox;

    public MessageEventConsumer(Inbox inbox) {
        this.inbox = inbox;
    }

    @Incoming(Topics.MESSAGE_EVENTS)
    public Uni<Void> onMessageEvents(ConsumerRecords<String, String> records) {
        return inbox.consumeAll(CONSUMER, records, this::record, none -> Uni.createFrom().voidItem());
    }

    private Uni<Void> record(CloudEvent<?> event) {
        if (!(event.data() instanceof MessageStatusChanged message) || message.profileId() == null) {
            return Uni.createFrom().voidItem();
        }
        UUID profileId;
        try {
            profileId = UUID.fromString(message.profileId());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Object> details = new HashMap<>();
        details.put("messageId", message.messageId());
        if (message.templateId() != null) {
            details.put("templateId", message.templateId());
        }
        if (message.reason() != null) {
            details.put("reason", message.reason());
        }
        return Profile.<Profile>findById(profileId)
                .chain(profile -> profile == null || profile.erasedAt != null ? Uni.createFrom().voidItem()
                        : TimelineEntry.of(profileId, message.channel().wire(), "message", event.type(), message.at(),
                                details).persist().replaceWithVoid());
    }
}
