package dev.omni.messaging.message;

import dev.omni.contracts.EventType;
import dev.omni.messaging.Background;
import dev.omni.messaging.MessagingConfig;
import dev.omni.messaging.TimeSource;
import dev.omni.messaging.contact.Consent;
import dev.omni.messaging.contact.Contact;
import dev.omni.messaging.contact.ContactService;
import dev.omni.messaging.provider.Delivery;
import dev.omni.messaging.provider.DeliveryFailedException;
import dev.omni.messaging.provider.FailoverSender;
import dev.omni.messaging.provider.Outbound;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

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

    /** Claims due messages and sends them as a batch ({@link #deliverAll}); returns how many were claimed. */
    public Uni<Integer> sendDue() {
        return claimDue().chain(ids -> ids.isEmpty() ? Uni.createFrom().item(0)
                : deliverAll(ids).replaceWith(ids.size()));
    }

    /** A claimed message on its way: what goes to the provider, and what came back. */
    private record Attempt(Outbound outbound, Delivery delivery, DeliveryFailedException failure) {
    }

    /**
     * {@link #deliver} for many claimed messages in three transactions instead of three per message: one reads them
     * and their profiles' consents (a withdrawn consent suppresses the message, as in {@link #deliver}), then all are
     * sent concurrently ({@code dispatch.send-concurrency} at once, over the providers' pooled connections), then one
     * transaction records every outcome with its event. A message whose outcome is lost to a crash keeps its lease
     * and is taken over when it expires, as with {@link #deliver}.
     *
     * @return the messages as recorded, in the order of {@code ids}
     */
    public Uni<List<Message>> deliverAll(List<UUID> ids) {
        return Panache.withTransaction(() -> Message.<Message>list("id in ?1", ids)
                        .chain(messages -> {
                            if (messages.isEmpty()) {
                                return Uni.createFrom().item(List.<Message>of());
                            }
                            List<UUID> profiles = messages.stream().map(m -> m.profileId).distinct().toList();
                            return Contact.<Contact>list("profileId in ?1", profiles)
                                    .chain(found -> Consent.<Consent>list("profileId in ?1", profiles)
                                            .chain(consents -> withdrawnAll(messages, found, consents)));
                        }))
                .chain(sending -> Multi.createFrom().iterable(sending)
                        .onItem().transformToUni(message -> {
                            Outbound outbound = new Outbound(message.id, message.channel(), message.recipient,
                                    message.subject, message.text, message.html);
                            return sender.send(outbound).map(delivery -> new Attempt(outbound, delivery, null))
                                    .onFailure(DeliveryFailedException.class).recoverWithItem(failure ->
                                            new Attempt(outbound, null, (DeliveryFailedException) failure));
                        })
                        .merge(config.dispatch().sendConcurrency())
                        .collect().asList())
                .chain(attempts -> Panache.withTransaction(() -> Message.<Message>list("id in ?1", ids)
                        .chain(messages -> recordAll(messages, attempts))))
                .map(messages -> {
                    Map<UUID, Message> byId = messages.stream().collect(Collectors.toMap(m -> m.id, m -> m));
                    return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
                });
    }

    /** Suppresses the messages whose consent was withdrawn; returns those still to send. */
    private Uni<List<Message>> withdrawnAll(List<Message> messages, List<Contact> found, List<Consent> consents) {
        Map<UUID, Contact> contactsById = found.stream().collect(Collectors.toMap(c -> c.profileId, c -> c));
        Map<UUID, List<Consent>> consentsOf = consents.stream().collect(Collectors.groupingBy(c -> c.profileId));
        List<Message> sending = new ArrayList<>();
        List<MessageEvents.Change> suppressed = new ArrayList<>();
        Instant now = time.now();
        for (Message message : messages) {
            if (message.status != MessageStatus.SENDING) {
                continue;
            }
            if (guards.consented(contactsById.get(message.profileId),
                    consentsOf.getOrDefault(message.profileId, List.of()), message.channel(), message.purpose)) {
                sending.add(message);
            } else {
                suppressed.add(new MessageEvents.Change(EventType.MESSAGE_SUPPRESSED, withdrawn(message, now)));
            }
        }
        return events.publishAll(suppressed, now).replaceWith(sending);
    }

    private Uni<List<Message>> recordAll(List<Message> messages, List<Attempt> attempts) {
        Map<UUID, Attempt> byId = attempts.stream().collect(Collectors.toMap(a -> a.outbound().messageId(), a -> a));
        Instant now = time.now();
        List<MessageEvents.Change> changes = new ArrayList<>();
        for (Message message : messages) {
            Attempt attempt = byId.get(message.id);
            if (attempt == null || message.status != MessageStatus.SENDING) {
                continue;
            }
            EventType type;
            if (attempt.delivery() != null) {
                sent(message, attempt.delivery(), now);
                type = EventType.MESSAGE_SENT;
            } else {
                failed(message, attempt.failure());
                type = EventType.MESSAGE_FAILED;
            }
            message.leaseUntil = null;
            message.updatedAt = now;
            changes.add(new MessageEvents.Change(type, message));
        }
        return events.publishAll(changes, now).replaceWith(messages);
    }

    private static void sent(Message message, Delivery delivery, Instant at) {
        message.status = MessageStatus.SENT;
        message.reason = null;
        message.detail = null;
        message.provider = delivery.provider();
        message.providerMessageId = delivery.providerMessageId();
        message.sentAt = at;
    }

    private static void failed(Message message, DeliveryFailedException failure) {
        message.status = MessageStatus.FAILED;
        message.reason = "provider";
        message.detail = failure.getMessage();
        message.provider = failure.provider();
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
                                .chain(delivery -> record(id, m -> sent(m, delivery, time.now()),
                                        EventType.MESSAGE_SENT))
                                .onFailure(DeliveryFailedException.class).recoverWithUni(failure -> record(id,
                                        m -> failed(m, (DeliveryFailedException) failure), EventType.MESSAGE_FAILED)));
    }

    private Uni<Message> withdrawn(Message message) {
        Instant now = time.now();
        return events.publish(EventType.MESSAGE_SUPPRESSED, withdrawn(message, now), now).replaceWith(message);
    }

    private static Message withdrawn(Message message, Instant now) {
        message.status = MessageStatus.SUPPRESSED;
        message.reason = Guards.CONSENT;
        message.detail = "consent withdrawn before sending";
        message.leaseUntil = null;
        message.updatedAt = now;
        return message;
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
