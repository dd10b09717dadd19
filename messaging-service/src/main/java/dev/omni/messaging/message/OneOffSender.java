package dev.omni.messaging.message;

import dev.omni.contracts.Channel;
import dev.omni.messaging.Channels;
import dev.omni.messaging.MessagingConfig;
import dev.omni.messaging.contact.ContactPoints;
import dev.omni.messaging.template.TemplateService;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import static dev.omni.platform.metrics.Timed.timed;

/**
 * The transactional send API: validates the request (nothing is written for a bad one), decides and records the
 * message, then sends it at once through the channel's providers.
 */
@ApplicationScoped
public class OneOffSender {

    /** Two requests with one new idempotency key at once: the loser retries and finds the winner's message. */
    private static final int ATTEMPTS = 3;

    private final MessageService messages;
    private final Dispatcher dispatcher;
    private final TemplateService templates;
    private final MessagingConfig config;
    private final Timer deciding;

    public OneOffSender(MessageService messages, Dispatcher dispatcher, TemplateService templates,
            MessagingConfig config, MeterRegistry registry) {
        this.messages = messages;
        this.dispatcher = dispatcher;
        this.templates = templates;
        this.config = config;
        this.deciding = Dispatcher.phase(registry, "decide",
                "the transaction that locks the profiles' contacts, applies the guards and records the messages");
    }

    public Uni<MessageService.Outcome> send(SendRequest request, String idempotencyKey) {
        if (request == null) {
            throw Problems.badRequest(Violation.body("body", "a message is required"));
        }
        List<Violation> violations = new ArrayList<>();
        Draft draft = draft(request, idempotencyKey, "", new Violation("Idempotency-Key", "header",
                "1 to 200 characters"), violations);
        if (!violations.isEmpty()) {
            throw Problems.badRequest(violations.get(0).field() + ": " + violations.get(0).message(), violations);
        }
        return checkVariables(draft, "")
                .chain(() -> Uni.createFrom().deferred(() -> Panache.withTransaction(() -> messages.create(draft, true)))
                        .onFailure(PersistenceException.class).retry().atMost(ATTEMPTS))
                .invoke(outcome -> {
                    if (outcome.repeated() && !sameRequest(outcome.message(), draft)) {
                        throw Problems.conflict("Idempotency-Key " + idempotencyKey + " was used for another message");
                    }
                })
                .chain(outcome -> outcome.repeated() || outcome.message().status != MessageStatus.SENDING
                        ? Uni.createFrom().item(outcome)
                        : dispatcher.deliver(outcome.message().id).map(sent -> new MessageService.Outcome(sent, false)));
    }

    /**
     * The batch send API: every message is validated first (nothing is written when one is bad; fields are named
     * {@code messages[i].field}), then the batch is decided and recorded in one transaction
     * ({@link MessageService#createAll}) and the messages cleared to go are sent together
     * ({@link Dispatcher#sendClaimed}, without reading them again). The guarantees are those of {@link #send}, message by message.
     */
    public Uni<List<MessageService.Outcome>> sendAll(BatchSendRequest batch) {
        if (batch == null || batch.messages() == null || batch.messages().isEmpty()) {
            throw Problems.badRequest(Violation.body("messages", "at least one message is required"));
        }
        int max = config.dispatch().maxBatch();
        if (batch.messages().size() > max) {
            throw Problems.badRequest(Violation.body("messages", "at most " + max + " messages per batch"));
        }
        List<Violation> violations = new ArrayList<>();
        List<Draft> drafts = new ArrayList<>();
        for (int i = 0; i < batch.messages().size(); i++) {
            BatchSendRequest.Item item = batch.messages().get(i);
            String prefix = "messages[" + i + "].";
            if (item == null) {
                violations.add(Violation.body("messages[" + i + "]", "a message is required"));
                continue;
            }
            drafts.add(draft(item.request(), item.idempotencyKey(), prefix,
                    Violation.body(prefix + "idempotencyKey", "1 to 200 characters"), violations));
        }
        if (!violations.isEmpty()) {
            throw Problems.badRequest(violations.get(0).field() + ": " + violations.get(0).message(), violations);
        }
        return resolveAll(drafts)
                .invoke(variants -> {
                    for (int i = 0; i < drafts.size(); i++) {
                        Draft draft = drafts.get(i);
                        checkVariables(variants.get(variantKey(draft)), draft, "messages[" + i + "].");
                    }
                })
                .chain(() -> timed(deciding, Uni.createFrom().deferred(() -> Panache.withTransaction(
                                () -> messages.createAll(drafts, true, OneOffSender::sameRequest)))
                        .onFailure(PersistenceException.class).retry().atMost(ATTEMPTS)))
                .chain(outcomes -> {
                    List<Message> sending = outcomes.stream().filter(o -> !o.repeated()
                            && o.message().status == MessageStatus.SENDING).map(MessageService.Outcome::message)
                            .toList();
                    if (sending.isEmpty()) {
                        return Uni.createFrom().item(outcomes);
                    }
                    return dispatcher.sendClaimed(sending).map(sent -> {
                        Map<UUID, Message> byId = new HashMap<>();
                        sent.forEach(m -> byId.put(m.id, m));
                        // a key repeated inside the batch answers the message its first use sent
                        return outcomes.stream().map(o -> !byId.containsKey(o.message().id) ? o
                                : new MessageService.Outcome(byId.get(o.message().id), o.repeated())).toList();
                    });
                });
    }

    /** The draft of one request; what is wrong with it goes to {@code violations}, fields named after {@code prefix}. */
    private static Draft draft(SendRequest request, String idempotencyKey, String prefix, Violation badKey,
            List<Violation> violations) {
        int before = violations.size();
        UUID profileId = null;
        try {
            profileId = UUID.fromString(Objects.requireNonNullElse(request.profileId(), ""));
        } catch (IllegalArgumentException e) {
            violations.add(Violation.body(prefix + "profileId", "a profile id (UUID) is required"));
        }
        Channel channel = Channels.parse(request.channel()).orElse(null);
        if (channel == null) {
            violations.add(Violation.body(prefix + "channel", "unknown channel '" + request.channel()
                    + "' (email, sms, push or chat)"));
        }
        Purpose purpose = request.purpose() == null ? Purpose.TRANSACTIONAL : Purpose.parse(request.purpose()).orElse(null);
        if (purpose == null) {
            violations.add(Violation.body(prefix + "purpose", "transactional or marketing"));
        }
        if (request.template() == null || request.template().isBlank()) {
            violations.add(Violation.body(prefix + "template", "required"));
        }
        String to = null;
        if (request.to() != null && channel != null) {
            try {
                to = ContactPoints.normalise(channel, request.to());
            } catch (IllegalArgumentException e) {
                violations.add(Violation.body(prefix + "to", e.getMessage()));
            }
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            violations.add(badKey);
        }
        if (violations.size() > before) {
            return null;
        }
        Map<String, Object> variables = request.variables() == null ? Map.of() : request.variables();
        return Draft.oneOff(profileId, channel, purpose, request.template(), request.locale(), to, variables,
                idempotencyKey == null ? null : "api:" + idempotencyKey, request.campaign());
    }

    /** Every {@code data.*} value the template needs is given, and nothing it does not know. */
    private Uni<Void> checkVariables(Draft draft, String prefix) {
        return Panache.withSession(() -> templates.resolve(draft.templateId(), draft.channel(), draft.locale()))
                .invoke(template -> checkVariables(template, draft, prefix)).replaceWithVoid();
    }

    /** The template variant of each draft, each resolved once in one session, by {@link #variantKey}. */
    private Uni<Map<String, TemplateService.Compiled>> resolveAll(List<Draft> drafts) {
        Map<String, TemplateService.Compiled> variants = new HashMap<>();
        return Panache.withSession(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Draft draft : drafts) {
                String key = variantKey(draft);
                if (!variants.containsKey(key)) {
                    variants.put(key, null);
                    chain = chain.chain(() -> templates.resolve(draft.templateId(), draft.channel(), draft.locale())
                            .invoke(template -> variants.put(key, template)).replaceWithVoid());
                }
            }
            return chain;
        }).replaceWith(variants);
    }

    private static String variantKey(Draft draft) {
        return draft.templateId() + '\n' + draft.channel().wire() + '\n' + draft.locale();
    }

    private static void checkVariables(TemplateService.Compiled template, Draft draft, String prefix) {
        if (template == null) {
            throw Problems.badRequest(Violation.body(prefix + "template", "no template '" + draft.templateId() + "' for "
                    + draft.channel().wire()));
        }
        Set<String> used = template.usedData();
        List<Violation> violations = new ArrayList<>();
        for (String required : template.requiredData()) {
            if (!draft.data().containsKey(required)) {
                violations.add(Violation.body(prefix + "variables." + required, "the template uses data." + required
                        + " but no value was given"));
            }
        }
        for (String given : draft.data().keySet()) {
            if (!used.contains(given)) {
                violations.add(Violation.body(prefix + "variables." + given, "unknown template variable (the template uses "
                        + (used.isEmpty() ? "none" : String.join(", ", used)) + ")"));
            }
        }
        if (!violations.isEmpty()) {
            throw Problems.badRequest(violations.get(0).field() + ": " + violations.get(0).message(), violations);
        }
    }

    private static boolean sameRequest(Message message, Draft draft) {
        return message.profileId.equals(draft.profileId()) && message.channel.equals(draft.channel().wire())
                && message.templateId.equals(draft.templateId());
    }
}
