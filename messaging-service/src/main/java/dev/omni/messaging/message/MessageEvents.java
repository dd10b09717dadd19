package dev.omni.messaging.message;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.platform.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/** Publishes each status change of a message on {@code omni.message-events}, in the caller's transaction. */
@ApplicationScoped
public class MessageEvents {

    public static final String SOURCE = "/messaging-service";

    private final Outbox outbox;
    private final MeterRegistry registry;

    public MessageEvents(Outbox outbox, MeterRegistry registry) {
        this.outbox = outbox;
        this.registry = registry;
    }

    public Uni<Void> publish(EventType type, Message message, Instant at) {
        return publish(type, message, at, null);
    }

    public Uni<Void> publish(EventType type, Message message, Instant at, String url) {
        return outbox.publish(event(new Change(type, message), at, url));
    }

    /** One status change of one message, for {@link #publishAll}. */
    public record Change(EventType type, Message message) {
    }

    /** {@link #publish} for many changes at {@code at}, in this order, in one outbox statement. */
    public Uni<Void> publishAll(List<Change> changes, Instant at) {
        return outbox.publishAll(changes.stream().map(change -> event(change, at, null)).toList());
    }

    private CloudEvent<MessageStatusChanged> event(Change change, Instant at, String url) {
        Message message = change.message();
        EventType type = change.type();
        registry.counter("omni.messages", "event", type.type().substring("omni.message.".length()),
                "channel", message.channel, "reason", message.reason == null ? "none" : message.reason).increment();
        return CloudEvent.of(type, SOURCE, message.id.toString(),
                new MessageStatusChanged(message.id.toString(), message.profileId.toString(), message.channel(),
                        message.templateId, message.journeyId, message.campaign, message.provider, message.reason,
                        url, at));
    }
}
