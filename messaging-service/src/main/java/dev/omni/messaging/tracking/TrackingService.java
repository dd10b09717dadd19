package dev.omni.messaging.tracking;

import dev.omni.messaging.TimeSource;
import dev.omni.messaging.message.Message;
import dev.omni.messaging.message.MessageService;
import dev.omni.messaging.message.MessageStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Records opens and clicks of messages (published on {@code omni.message-events} for attribution). */
@ApplicationScoped
public class TrackingService {

    private final MessageService messages;
    private final TimeSource time;

    public TrackingService(MessageService messages, TimeSource time) {
        this.messages = messages;
        this.time = time;
    }

    public Uni<Void> opened(UUID messageId) {
        return record(messageId, MessageStatus.OPENED, null);
    }

    public Uni<Void> clicked(UUID messageId, String url) {
        return record(messageId, MessageStatus.CLICKED, url);
    }

    private Uni<Void> record(UUID messageId, MessageStatus reached, String url) {
        return Panache.withTransaction(() -> Message.<Message>findById(messageId)
                .chain(message -> message == null ? Uni.createFrom().voidItem()
                        : messages.progress(message, reached, time.now(), url)));
    }
}
