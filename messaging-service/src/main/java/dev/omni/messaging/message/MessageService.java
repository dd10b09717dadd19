package dev.omni.messaging.message;

import dev.omni.contracts.EventType;
import dev.omni.contracts.TimeOrderedIds;
import dev.omni.messaging.MessagingConfig;
import dev.omni.messaging.TimeSource;
import dev.omni.messaging.contact.Consent;
import dev.omni.messaging.contact.Contact;
import dev.omni.messaging.contact.ContactService;
import dev.omni.messaging.template.Rendered;
import dev.omni.messaging.template.TemplateRenderException;
import dev.omni.messaging.template.TemplateService;
import dev.omni.messaging.tracking.TrackingLinks;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import dev.omni.platform.sql.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

import static dev.omni.platform.sql.NativeSql.column;

/**
 * Decides on a message and records it: idempotency key first (a repeat never creates a second message, held or
 * not), then the {@link Guards}, then the template render with tracked links. Runs in the caller's transaction,
 * holding the profile's contact row lock, and publishes queued / suppressed / failed through the outbox.
 */
@ApplicationScoped
public class MessageService {

    public static final String TEMPLATE = "template";
    public static final String ERASED = "erased";

    private static final String TAKEN_KEYS = "SELECT idempotency_key FROM message WHERE idempotency_key = ANY(?1)";

    private static final String INSERT_ALL = """
            INSERT INTO message (id, profile_id, channel, purpose, template_id, locale, status, reason, detail,
                idempotency_key, recipient, subject, body_text, body_html, journey_id, journey_run_id, step_id, campaign,
                send_after, lease_until, created_at, updated_at)
            SELECT * FROM unnest(?1::uuid[], ?2::uuid[], ?3::text[], ?4::text[], ?5::text[], ?6::text[], ?7::text[],
                ?8::text[], ?9::text[], ?10::text[], ?11::text[], ?12::text[], ?13::text[], ?14::text[], ?15::text[],
                ?16::uuid[], ?17::text[], ?18::text[], ?19::timestamptz[], ?20::timestamptz[], ?21::timestamptz[],
                ?22::timestamptz[])""";

    private final ContactService contacts;
    private final Guards guards;
    private final TemplateService templates;
    private final TrackingLinks links;
    private final MessageEvents events;
    private final TimeSource time;
    private final MessagingConfig config;
    private final NativeSql sql;

    public MessageService(ContactService contacts, Guards guards, TemplateService templates, TrackingLinks links,
            MessageEvents events, TimeSource time, MessagingConfig config, NativeSql sql) {
        this.contacts = contacts;
        this.guards = guards;
        this.templates = templates;
        this.links = links;
        this.events = events;
        this.time = time;
        this.config = config;
        this.sql = sql;
    }

    /** The message and whether it is the one an earlier call with the same idempotency key created. */
    public record Outcome(Message message, boolean repeated) {
    }

    /**
     * @param inline the caller sends right after commit: a message cleared to go is claimed (SENDING) at once so no
     *               dispatcher takes it; otherwise it is QUEUED for the dispatcher
     * @throws io.quarkiverse.resteasy.problem.HttpProblem a 400 when {@code inline} and the template cannot be rendered
     */
    public Uni<Outcome> create(Draft draft, boolean inline) {
        Instant now = time.now();
        return contacts.lock(draft.profileId())
                .chain(contact -> repeatOf(draft).chain(existing -> existing != null
                        ? Uni.createFrom().item(new Outcome(existing, true))
                        : decide(draft, contact, now, inline).map(message -> new Outcome(message, false))));
    }

    private Uni<Message> repeatOf(Draft draft) {
        return draft.idempotencyKey() == null ? Uni.createFrom().nullItem()
                : Message.find("idempotencyKey", draft.idempotencyKey()).firstResult();
    }

    private Uni<Message> decide(Draft draft, Contact contact, Instant now, boolean inline) {
        String address = draft.to() != null ? draft.to()
                : contact == null ? null : contact.address(draft.channel()).orElse(null);
        Message message = newMessage(draft, contact, now);
        return guards.decide(contact, draft.channel(), draft.purpose(), address, now)
                .chain(decision -> {
                    message.status = decision.status();
                    message.reason = decision.reason();
                    message.detail = decision.detail();
                    message.sendAfter = decision.sendAfter();
                    if (decision.status() == MessageStatus.SUPPRESSED) {
                        return Uni.createFrom().voidItem();
                    }
                    message.recipient = address;
                    return render(message, draft, contact, inline);
                })
                .invoke(() -> {
                    if (inline && message.status == MessageStatus.QUEUED) {
                        message.status = MessageStatus.SENDING;
                        message.leaseUntil = now.plus(config.dispatch().lease());
                    }
                })
                .chain(() -> message.persist())
                .chain(() -> events.publish(recordedAs(message), message, now))
                .replaceWith(message);
    }

    private Uni<Void> render(Message message, Draft draft, Contact contact, boolean inline) {
        return templates.resolve(draft.templateId(), draft.channel(), locale(draft, contact)).invoke(template -> {
            if (template == null) {
                fail(message, "template " + draft.templateId() + " has no " + draft.channel().wire() + " variant");
                return;
            }
            try {
                renderWith(template, message, draft, contact);
            } catch (TemplateRenderException e) {
                if (inline) {
                    throw Problems.badRequest("template " + draft.templateId() + " cannot be rendered for this profile: "
                            + e.getMessage(), List.of(Violation.body("template", e.getMessage())));
                }
                fail(message, e.getMessage());
            }
        }).replaceWithVoid();
    }

    /** Renders the variant into the message, with tracked links. */
    private void renderWith(TemplateService.Compiled template, Message message, Draft draft, Contact contact) {
        message.locale = template.variant().locale;
        Map<String, Object> values = new HashMap<>();
        values.put("profile", contact == null ? Map.of("id", draft.profileId().toString()) : contact.templateView());
        values.put("data", draft.data() == null ? Map.of() : draft.data());
        values.put("event", draft.event() == null ? Map.of() : draft.event());
        values.put("journey", draft.journey() == null ? Map.of() : draft.journey());
        values.put("message", Map.of("id", message.id.toString()));
        Rendered rendered = links.track(message.id, template.render(values));
        message.subject = rendered.subject();
        message.text = rendered.text();
        message.html = rendered.html();
    }

    /**
     * {@link #create} for a batch, set-based, in the caller's transaction: the contact rows of all its profiles are
     * locked in one statement (in profile order, so concurrent batches cannot deadlock), taken keys, consents and
     * recent marketing counts are read with one query each, each template variant is resolved once, and the messages
     * are inserted in one statement, their events in another. Each draft passes the same checks in the same order with
     * the same reasons as through {@link #create}; a draft repeating a key of the database or of an earlier draft of
     * the batch is answered with that message.
     *
     * @param sameRequest whether the message found under a draft's key was made by the same request; when not, the
     *                    whole batch fails with 409 and nothing is written
     * @throws io.quarkiverse.resteasy.problem.HttpProblem 400 naming {@code messages[i].template} when {@code inline}
     *                                                     and a draft's template cannot be rendered for its profile
     */
    public Uni<List<Outcome>> createAll(List<Draft> drafts, boolean inline, BiPredicate<Message, Draft> sameRequest) {
        Instant now = time.now();
        List<UUID> profiles = drafts.stream().map(Draft::profileId).distinct().toList();
        List<String> keys = drafts.stream().map(Draft::idempotencyKey).filter(Objects::nonNull).distinct().toList();
        Set<UUID> marketing = drafts.stream().filter(d -> d.purpose() == Purpose.MARKETING).map(Draft::profileId)
                .collect(Collectors.toSet());
        return contacts.lockAll(profiles).chain(contactsById -> existing(keys)
                .chain(earlier -> contacts.consentsOf(profiles)
                        .chain(consentsOf -> guards.recent(marketing, now)
                                .chain(recent -> resolveAll(drafts, contactsById)
                                        .chain(variants -> {
                                            Map<String, Message> byKey = new HashMap<>();
                                            earlier.forEach(m -> byKey.put(m.idempotencyKey, m));
                                            return decideAll(drafts, inline, sameRequest, now, contactsById, byKey,
                                                    consentsOf, recent, variants);
                                        })))));
    }

    /**
     * The messages recorded under any of {@code keys}: which keys are taken is read in one statement by the unique
     * index, and only a repeat (rare) loads its message.
     */
    private Uni<List<Message>> existing(List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return sql.rows(TAKEN_KEYS, (Object) keys.toArray(String[]::new)).chain(rows -> rows.isEmpty()
                ? Uni.createFrom().item(List.<Message>of())
                : Message.<Message>list("idempotencyKey in ?1", rows.stream().map(row -> (String) row[0]).toList()));
    }

    private Uni<List<Outcome>> decideAll(List<Draft> drafts, boolean inline, BiPredicate<Message, Draft> sameRequest,
            Instant now, Map<UUID, Contact> contactsById, Map<String, Message> byKey,
            Map<UUID, List<Consent>> consentsOf, Map<UUID, Guards.Recent> recent,
            Map<String, TemplateService.Compiled> variants) {
        List<Outcome> outcomes = new ArrayList<>(drafts.size());
        List<Message> created = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            Draft draft = drafts.get(i);
            Message earlier = draft.idempotencyKey() == null ? null : byKey.get(draft.idempotencyKey());
            if (earlier != null) {
                if (!sameRequest.test(earlier, draft)) {
                    throw Problems.conflict("Idempotency-Key of messages[" + i + "] was used for another message");
                }
                outcomes.add(new Outcome(earlier, true));
                continue;
            }
            Contact contact = contactsById.get(draft.profileId());
            String address = draft.to() != null ? draft.to()
                    : contact == null ? null : contact.address(draft.channel()).orElse(null);
            Message message = newMessage(draft, contact, now);
            Guards.Decision decision = guards.decide(contact, consentsOf.getOrDefault(draft.profileId(), List.of()),
                    recent.computeIfAbsent(draft.profileId(), p -> new Guards.Recent()), draft.channel(),
                    draft.purpose(), address, now);
            message.status = decision.status();
            message.reason = decision.reason();
            message.detail = decision.detail();
            message.sendAfter = decision.sendAfter();
            if (decision.status() != MessageStatus.SUPPRESSED) {
                message.recipient = address;
                TemplateService.Compiled template = variants.get(variantKey(draft, contact));
                if (template == null) {
                    fail(message, "template " + draft.templateId() + " has no " + draft.channel().wire() + " variant");
                } else {
                    try {
                        renderWith(template, message, draft, contact);
                    } catch (TemplateRenderException e) {
                        if (inline) {
                            String field = "messages[" + i + "].template";
                            throw Problems.badRequest(field + ": template " + draft.templateId()
                                    + " cannot be rendered for this profile: " + e.getMessage(),
                                    List.of(Violation.body(field, e.getMessage())));
                        }
                        fail(message, e.getMessage());
                    }
                }
            }
            if (inline && message.status == MessageStatus.QUEUED) {
                message.status = MessageStatus.SENDING;
                message.leaseUntil = now.plus(config.dispatch().lease());
            }
            if (draft.idempotencyKey() != null) {
                byKey.put(draft.idempotencyKey(), message);
            }
            created.add(message);
            outcomes.add(new Outcome(message, false));
        }
        if (created.isEmpty()) {
            return Uni.createFrom().item(outcomes);
        }
        List<MessageEvents.Change> changes = created.stream()
                .map(message -> new MessageEvents.Change(recordedAs(message), message)).toList();
        return insertAll(created).chain(() -> events.publishAll(changes, now)).replaceWith(outcomes);
    }

    /**
     * New messages in one statement, written at once on the transaction's connection; they stay values, not entities
     * of the session (nothing to hydrate or dirty-check at the flush).
     */
    private Uni<Integer> insertAll(List<Message> messages) {
        return sql.write(INSERT_ALL, column(messages, m -> m.id, UUID[]::new),
                column(messages, m -> m.profileId, UUID[]::new), column(messages, m -> m.channel, String[]::new),
                column(messages, m -> m.purpose.name(), String[]::new),
                column(messages, m -> m.templateId, String[]::new), column(messages, m -> m.locale, String[]::new),
                column(messages, m -> m.status.name(), String[]::new), column(messages, m -> m.reason, String[]::new),
                column(messages, m -> m.detail, String[]::new),
                column(messages, m -> m.idempotencyKey, String[]::new),
                column(messages, m -> m.recipient, String[]::new), column(messages, m -> m.subject, String[]::new),
                column(messages, m -> m.text, String[]::new), column(messages, m -> m.html, String[]::new),
                column(messages, m -> m.journeyId, String[]::new),
                column(messages, m -> m.journeyRunId, UUID[]::new), column(messages, m -> m.stepId, String[]::new),
                column(messages, m -> m.campaign, String[]::new),
                column(messages, m -> m.sendAfter, Instant[]::new),
                column(messages, m -> m.leaseUntil, Instant[]::new),
                column(messages, m -> m.createdAt, Instant[]::new),
                column(messages, m -> m.updatedAt, Instant[]::new));
    }

    /** The event a newly recorded message is published with. */
    private static EventType recordedAs(Message message) {
        return switch (message.status) {
            case SUPPRESSED -> EventType.MESSAGE_SUPPRESSED;
            case FAILED -> EventType.MESSAGE_FAILED;
            default -> EventType.MESSAGE_QUEUED;
        };
    }

    /** Each template variant the batch needs, resolved once, by {@link #variantKey}. */
    private Uni<Map<String, TemplateService.Compiled>> resolveAll(List<Draft> drafts, Map<UUID, Contact> contactsById) {
        Map<String, TemplateService.Compiled> variants = new HashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Draft draft : drafts) {
            Contact contact = contactsById.get(draft.profileId());
            String key = variantKey(draft, contact);
            if (variants.containsKey(key)) {
                continue;
            }
            variants.put(key, null);
            chain = chain.chain(() -> templates.resolve(draft.templateId(), draft.channel(), locale(draft, contact))
                    .invoke(compiled -> variants.put(key, compiled)).replaceWithVoid());
        }
        return chain.replaceWith(variants);
    }

    private static String locale(Draft draft, Contact contact) {
        return draft.locale() != null ? draft.locale() : contact == null ? null : contact.locale;
    }

    private static String variantKey(Draft draft, Contact contact) {
        return draft.templateId() + '\n' + draft.channel().wire() + '\n' + locale(draft, contact);
    }

    private static void fail(Message message, String detail) {
        message.status = MessageStatus.FAILED;
        message.reason = TEMPLATE;
        message.detail = detail;
        message.sendAfter = null;
    }

    private static Message newMessage(Draft draft, Contact contact, Instant now) {
        Message message = new Message();
        message.id = TimeOrderedIds.next();
        message.profileId = draft.profileId();
        message.channel = draft.channel().wire();
        message.purpose = draft.purpose();
        message.templateId = draft.templateId();
        message.idempotencyKey = draft.idempotencyKey();
        message.journeyId = draft.journeyId();
        message.journeyRunId = draft.journeyRunId();
        message.stepId = draft.stepId();
        message.campaign = draft.campaign();
        message.createdAt = now;
        message.updatedAt = now;
        return message;
    }

    /**
     * A receipt or tracking hit: records the first delivery/open/click and publishes it (every click is published,
     * with its URL). Status only moves forward; a click implies the message was opened, an open that it was delivered.
     */
    public Uni<Void> progress(Message message, MessageStatus reached, Instant at, String url) {
        if (message.status == MessageStatus.SUPPRESSED || message.status.pending() && reached != MessageStatus.FAILED) {
            return Uni.createFrom().voidItem();
        }
        boolean firstDelivery = message.deliveredAt == null;
        boolean firstOpen = message.openedAt == null;
        EventType type;
        switch (reached) {
            case DELIVERED -> {
                if (!firstDelivery) {
                    return Uni.createFrom().voidItem();
                }
                message.deliveredAt = at;
                type = EventType.MESSAGE_DELIVERED;
            }
            case OPENED -> {
                if (!firstOpen) {
                    return Uni.createFrom().voidItem();
                }
                message.openedAt = at;
                message.deliveredAt = firstDelivery ? at : message.deliveredAt;
                type = EventType.MESSAGE_OPENED;
            }
            case CLICKED -> {
                message.clickedAt = message.clickedAt == null ? at : message.clickedAt;
                message.openedAt = firstOpen ? at : message.openedAt;
                message.deliveredAt = firstDelivery ? at : message.deliveredAt;
                type = EventType.MESSAGE_CLICKED;
            }
            case FAILED -> {
                if (message.status != MessageStatus.SENT) {
                    return Uni.createFrom().voidItem();
                }
                message.reason = "undelivered";
                type = EventType.MESSAGE_FAILED;
            }
            default -> {
                return Uni.createFrom().voidItem();
            }
        }
        if (reached == MessageStatus.FAILED || reached.ordinal() > message.status.ordinal()) {
            message.status = reached;
        }
        message.updatedAt = at;
        return events.publish(type, message, at, url);
    }

    /** Erasure: pending messages are suppressed and every message of the profile loses its address and content. */
    public Uni<Void> erase(UUID profileId, Instant at) {
        return Message.<Message>list("profileId", profileId).chain(messages -> {
            List<MessageEvents.Change> suppressed = new ArrayList<>();
            for (Message message : messages) {
                message.recipient = null;
                message.subject = null;
                message.text = null;
                message.html = null;
                message.updatedAt = at;
                if (message.status.pending()) {
                    message.status = MessageStatus.SUPPRESSED;
                    message.reason = ERASED;
                    message.detail = "the profile was erased";
                    message.sendAfter = null;
                    message.leaseUntil = null;
                    suppressed.add(new MessageEvents.Change(EventType.MESSAGE_SUPPRESSED, message));
                }
            }
            return events.publishAll(suppressed, at);
        });
    }
}
