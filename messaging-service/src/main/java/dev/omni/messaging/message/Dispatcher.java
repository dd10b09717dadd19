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
import dev.omni.platform.sql.NativeSql;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static dev.omni.platform.metrics.Timed.timed;
import static dev.omni.platform.sql.NativeSql.column;

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

    /** Many outcomes in one statement, each where its row is still SENDING; returns the rows it changed. */
    private static final String RECORD = """
            UPDATE message m
            SET status = u.status, reason = u.reason, detail = u.detail, provider = u.provider,
                provider_message_id = coalesce(u.provider_message_id, m.provider_message_id),
                sent_at = coalesce(u.sent_at, m.sent_at), lease_until = NULL, updated_at = ?8
            FROM unnest(?1::uuid[], ?2::text[], ?3::text[], ?4::text[], ?5::text[], ?6::text[], ?7::timestamptz[])
                AS u(id, status, reason, detail, provider, provider_message_id, sent_at)
            WHERE m.id = u.id AND m.status = 'SENDING'
            RETURNING m.id""";

    private final FailoverSender sender;
    private final Guards guards;
    private final ContactService contacts;
    private final MessageEvents events;
    private final TimeSource time;
    private final MessagingConfig config;
    private final NativeSql sql;
    private final Timer checking;
    private final Timer sending;
    private final Timer recording;
    private Background loop;

    public Dispatcher(FailoverSender sender, Guards guards, ContactService contacts, MessageEvents events,
            TimeSource time, MessagingConfig config, NativeSql sql, MeterRegistry registry) {
        this.sender = sender;
        this.guards = guards;
        this.contacts = contacts;
        this.events = events;
        this.time = time;
        this.config = config;
        this.sql = sql;
        this.checking = phase(registry, "check", "reading claimed messages and re-checking their consent");
        this.sending = phase(registry, "send", "handing the messages to their providers");
        this.recording = phase(registry, "record", "recording the outcomes with their events");
    }

    /** A timer of one phase of a batch ({@code omni_messaging_batch_seconds{phase=...}}). */
    static Timer phase(MeterRegistry registry, String phase, String description) {
        return Timer.builder("omni.messaging.batch").tag("phase", phase)
                .description("One phase of a batch of messages: " + description).register(registry);
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

    /** A claimed message on its way, and what came back from its provider. */
    private record Attempt(Message message, Delivery delivery, DeliveryFailedException failure) {
    }

    /**
     * {@link #deliver} for many claimed messages in three steps instead of three transactions per message: one
     * transaction reads them and their profiles' consents (a withdrawn consent suppresses the message, as in
     * {@link #deliver}), then {@link #sendClaimed} sends and records them.
     *
     * @return the messages as recorded, in the order of {@code ids}
     */
    public Uni<List<Message>> deliverAll(List<UUID> ids) {
        return timed(checking, Panache.withTransaction(() -> Message.<Message>list("id in ?1", ids)
                        .call(messages -> {
                            if (messages.isEmpty()) {
                                return Uni.createFrom().voidItem();
                            }
                            List<UUID> profiles = messages.stream().map(m -> m.profileId).distinct().toList();
                            return Contact.<Contact>list("profileId in ?1", profiles)
                                    .chain(found -> Consent.<Consent>list("profileId in ?1", profiles)
                                            .chain(consents -> withdrawnAll(messages, found, consents)));
                        })))
                .chain(this::sendClaimed)
                .map(messages -> {
                    Map<UUID, Message> byId = messages.stream().collect(Collectors.toMap(m -> m.id, m -> m));
                    return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
                });
    }

    /**
     * Sends the messages of {@code messages} that are claimed (SENDING) concurrently ({@code dispatch.send-concurrency}
     * at once, over the providers' pooled connections), then records every outcome with its event in one
     * transaction and one statement ({@link #RECORD}): only a row still SENDING changes, so an outcome that comes
     * after another dispatcher took the message over (its lease expired) is not written twice. A message whose
     * outcome is lost to a crash keeps its lease and is taken over when it expires, as with {@link #deliver}.
     * The batch send API calls this with the messages it has just decided under the profiles' contact locks, consent
     * included, so they are not read again.
     *
     * @param messages detached messages as the caller last saw them; the recorded ones are updated in place
     * @return every one of {@code messages} as recorded
     */
    public Uni<List<Message>> sendClaimed(List<Message> messages) {
        List<Message> claimed = messages.stream().filter(m -> m.status == MessageStatus.SENDING).toList();
        if (claimed.isEmpty()) {
            return Uni.createFrom().item(messages);
        }
        return timed(sending, Multi.createFrom().iterable(claimed)
                        .onItem().transformToUni(message -> {
                            Outbound outbound = new Outbound(message.id, message.channel(), message.recipient,
                                    message.subject, message.text, message.html);
                            return sender.send(outbound).map(delivery -> new Attempt(message, delivery, null))
                                    .onFailure(DeliveryFailedException.class).recoverWithItem(failure ->
                                            new Attempt(message, null, (DeliveryFailedException) failure));
                        })
                        .merge(config.dispatch().sendConcurrency())
                        .collect().asList())
                .chain(attempts -> timed(recording, Panache.withTransaction(() -> recordAll(attempts))))
                .chain(stale -> stale.isEmpty() ? Uni.createFrom().item(messages)
                        : Panache.withSession(() -> Message.<Message>list("id in ?1", stale)).map(current -> {
                            Map<UUID, Message> byId = current.stream().collect(Collectors.toMap(m -> m.id, m -> m));
                            return messages.stream().map(m -> byId.getOrDefault(m.id, m)).toList();
                        }));
    }

    /** Suppresses the messages whose consent was withdrawn (in the session, written at commit). */
    private Uni<Void> withdrawnAll(List<Message> messages, List<Contact> found, List<Consent> consents) {
        Map<UUID, Contact> contactsById = found.stream().collect(Collectors.toMap(c -> c.profileId, c -> c));
        Map<UUID, List<Consent>> consentsOf = consents.stream().collect(Collectors.groupingBy(c -> c.profileId));
        List<MessageEvents.Change> suppressed = new ArrayList<>();
        Instant now = time.now();
        for (Message message : messages) {
            if (message.status == MessageStatus.SENDING && !guards.consented(contactsById.get(message.profileId),
                    consentsOf.getOrDefault(message.profileId, List.of()), message.channel(), message.purpose)) {
                suppressed.add(new MessageEvents.Change(EventType.MESSAGE_SUPPRESSED, withdrawn(message, now)));
            }
        }
        return events.publishAll(suppressed, now);
    }

    /**
     * Applies each attempt's outcome to its message, writes it where the row is still SENDING and publishes those
     * events; returns the ids whose row had moved on (the caller reads them again, replacing what was applied).
     */
    private Uni<List<UUID>> recordAll(List<Attempt> attempts) {
        Instant now = time.now();
        List<Message> outcomes = new ArrayList<>(attempts.size());
        for (Attempt attempt : attempts) {
            Message message = attempt.message();
            if (attempt.delivery() != null) {
                sent(message, attempt.delivery(), now);
            } else {
                failed(message, attempt.failure());
            }
            message.leaseUntil = null;
            message.updatedAt = now;
            outcomes.add(message);
        }
        return sql.rows(RECORD, column(outcomes, m -> m.id, UUID[]::new),
                        column(outcomes, m -> m.status.name(), String[]::new),
                        column(outcomes, m -> m.reason, String[]::new),
                        column(outcomes, m -> m.detail, String[]::new),
                        column(outcomes, m -> m.provider, String[]::new),
                        column(outcomes, m -> m.providerMessageId, String[]::new),
                        column(outcomes, m -> m.sentAt, Instant[]::new), now)
                .chain(rows -> {
                    Set<UUID> recorded = new HashSet<>();
                    rows.forEach(row -> recorded.add((UUID) row[0]));
                    List<MessageEvents.Change> changes = new ArrayList<>(recorded.size());
                    List<UUID> stale = new ArrayList<>();
                    for (Message message : outcomes) {
                        if (recorded.contains(message.id)) {
                            changes.add(new MessageEvents.Change(message.status == MessageStatus.SENT
                                    ? EventType.MESSAGE_SENT : EventType.MESSAGE_FAILED, message));
                        } else {
                            stale.add(message.id);
                        }
                    }
                    return events.publishAll(changes, now).replaceWith(stale);
                });
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
