package dev.omni.messaging.message;

import dev.omni.contracts.EventType;
import dev.omni.messaging.Background;
import dev.omni.messaging.MessagingConfig;
import dev.omni.messaging.TimeSource;
import dev.omni.messaging.contact.ContactService;
import dev.omni.messaging.provider.DeliveryFailedException;
import dev.omni.messaging.provider.FailoverSender;
import dev.omni.messaging.provider.Outbound;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Sends messages that are due: queued ones (journey sends), held ones whose quiet hours ended, and claimed ones
 * whose dispatcher died (lease expired). A message is claimed (SENDING, with a lease) with
 * {@code FOR UPDATE SKIP LOCKED} before it is sent, so replicas never send one twice while they live; consent is
 * checked again just before sending, since it may have been withdrawn while the message waited.
 */
@ApplicationScoped
public class Dispatcher {

    private static final String DUE = """
            SELECT id FROM message
            WHERE status = 'QUEUED' OR (status = 'HELD' AND send_after <= ?1) OR (status = 'SENDING' AND lease_until < ?1)
            ORDER BY created_at LIMIT ?2 FOR UPDATE SKIP LOCKED""";

    private final FailoverSender sender;
    private final Guards guards;
    private final ContactService contacts;
    private final MessageEvents events;
    private final TimeSource time;
    private final MessagingConfig config;
    private Background loop;

    public Dispatcher(FailoverSender sender, Guards guards, ContactService contacts, MessageEvents events,
            TimeSource time, MessagingConfig config) {
        this.sender = sender;
        this.guards = guards;
        this.contacts = contacts;
        this.events = events;
        this.time = time;
        this.config = config;
    }

    void start(@Observes StartupEvent startup, Vertx vertx) {
        loop = Background.every(vertx, "message dispatcher", config.dispatch().pollInterval(), this::sendDue);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (loop != null) {
            loop.stop();
        }
    }

    /** Claims due messages and sends them one after another; returns how many were claimed. */
    public Uni<Integer> sendDue() {
        return claimDue().chain(ids -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (UUID id : ids) {
                chain = chain.chain(() -> deliver(id).replaceWithVoid());
            }
            return chain.replaceWith(ids.size());
        });
    }

    private Uni<List<UUID>> claimDue() {
        Instant now = time.now();
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(DUE, UUID.class)
                        .setParameter(1, now)
                        .setParameter(2, config.dispatch().batchSize())
                        .getResultList())
                .call(ids -> ids.isEmpty() ? Uni.createFrom().voidItem()
                        : Message.update("status = ?1, leaseUntil = ?2, updatedAt = ?3 where id in ?4",
                                MessageStatus.SENDING, now.plus(config.dispatch().lease()), now, ids)));
    }

    /** Sends a message this dispatcher claimed (status SENDING) and records the outcome. */
    public Uni<Message> deliver(UUID id) {
        return Panache.withTransaction(() -> Message.<Message>findById(id)
                        .chain(message -> contacts.find(message.profileId)
                                .chain(contact -> guards.consent(contact, message.channel(), message.purpose))
                                .chain(consented -> consented ? Uni.createFrom().item(message)
                                        : withdrawn(message))))
                .chain(message -> message.status != MessageStatus.SENDING ? Uni.createFrom().item(message)
                        : sender.send(new Outbound(message.id, message.channel(), message.recipient, message.subject,
                                        message.text, message.html))
                                .chain(delivery -> record(id, m -> {
                                    m.status = MessageStatus.SENT;
                                    m.reason = null;
                                    m.detail = null;
                                    m.provider = delivery.provider();
                                    m.providerMessageId = delivery.providerMessageId();
                                    m.sentAt = time.now();
                                }, EventType.MESSAGE_SENT))
                                .onFailure(DeliveryFailedException.class).recoverWithUni(failure -> record(id, m -> {
                                    m.status = MessageStatus.FAILED;
                                    m.reason = "provider";
                                    m.detail = failure.getMessage();
                                    m.provider = ((DeliveryFailedException) failure).provider();
                                }, EventType.MESSAGE_FAILED)));
    }

    private Uni<Message> withdrawn(Message message) {
        Instant now = time.now();
        message.status = MessageStatus.SUPPRESSED;
        message.reason = Guards.CONSENT;
        message.detail = "consent withdrawn before sending";
        message.leaseUntil = null;
        message.updatedAt = now;
        return events.publish(EventType.MESSAGE_SUPPRESSED, message, now).replaceWith(message);
    }

    private Uni<Message> record(UUID id, Consumer<Message> change, EventType type) {
        return Panache.withTransaction(() -> Message.<Message>findById(id).chain(message -> {
            if (message.status != MessageStatus.SENDING) {
                return Uni.createFrom().item(message);
            }
            Instant now = time.now();
            change.accept(message);
            message.leaseUntil = null;
            message.updatedAt = now;
            return events.publish(type, message, now).replaceWith(message);
        }));
    }
}
