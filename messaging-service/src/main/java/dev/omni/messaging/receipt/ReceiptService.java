package dev.omni.messaging.receipt;

import dev.omni.messaging.TimeSource;
import dev.omni.messaging.message.Message;
import dev.omni.messaging.message.MessageService;
import dev.omni.messaging.message.MessageStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Applies delivery receipts: the provider's message id leads to our message. */
@ApplicationScoped
public class ReceiptService {

    private final MessageService messages;
    private final TimeSource time;

    public ReceiptService(MessageService messages, TimeSource time) {
        this.messages = messages;
        this.time = time;
    }

    /** @return whether a message of this provider had that id */
    public Uni<Boolean> apply(String provider, String providerMessageId, MessageStatus reached) {
        return Panache.withTransaction(() -> Message.<Message>find("provider = ?1 and providerMessageId = ?2", provider,
                        providerMessageId).firstResult()
                .chain(message -> message == null ? Uni.createFrom().item(false)
                        : messages.progress(message, reached, time.now(), null).replaceWith(true)));
    }
}
