package dev.omni.messaging.message;

import dev.omni.contracts.Channel;
import dev.omni.messaging.Channels;
import dev.omni.messaging.contact.ContactPoints;
import dev.omni.messaging.template.TemplateService;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

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

    public OneOffSender(MessageService messages, Dispatcher dispatcher, TemplateService templates) {
        this.messages = messages;
        this.dispatcher = dispatcher;
        this.templates = templates;
    }

    public Uni<MessageService.Outcome> send(SendRequest request, String idempotencyKey) {
        if (request == null) {
            throw Problems.badRequest(Violation.body("body", "a message is required"));
        }
        List<Violation> violations = new ArrayList<>();
        UUID profileId = null;
        try {
            profileId = UUID.fromString(Objects.requireNonNullElse(request.profileId(), ""));
        } catch (IllegalArgumentException e) {
            violations.add(Violation.body("profileId", "a profile id (UUID) is required"));
        }
        Channel channel = Channels.parse(request.channel()).orElse(null);
        if (channel == null) {
            violations.add(Violation.body("channel", "unknown channel '" + request.channel()
                    + "' (email, sms, push or chat)"));
        }
        Purpose purpose = request.purpose() == null ? Purpose.TRANSACTIONAL : Purpose.parse(request.purpose()).orElse(null);
        if (purpose == null) {
            violations.add(Violation.body("purpose", "transactional or marketing"));
        }
        if (request.template() == null || request.template().isBlank()) {
            violations.add(Violation.body("template", "required"));
        }
        String to = null;
        if (request.to() != null && channel != null) {
            try {
                to = ContactPoints.normalise(channel, request.to());
            } catch (IllegalArgumentException e) {
                violations.add(Violation.body("to", e.getMessage()));
            }
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            violations.add(new Violation("Idempotency-Key", "header", "1 to 200 characters"));
        }
        if (!violations.isEmpty()) {
            throw Problems.badRequest(violations.get(0).field() + ": " + violations.get(0).message(), violations);
        }
        Map<String, Object> variables = request.variables() == null ? Map.of() : request.variables();
        Draft draft = Draft.oneOff(profileId, channel, purpose, request.template(), request.locale(), to, variables,
                idempotencyKey == null ? null : "api:" + idempotencyKey, request.campaign());
        return checkVariables(draft)
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

    /** Every {@code data.*} value the template needs is given, and nothing it does not know. */
    private Uni<Void> checkVariables(Draft draft) {
        return Panache.withSession(() -> templates.resolve(draft.templateId(), draft.channel(), draft.locale()))
                .invoke(template -> {
            if (template == null) {
                throw Problems.badRequest(Violation.body("template", "no template '" + draft.templateId() + "' for "
                        + draft.channel().wire()));
            }
            Set<String> used = template.usedData();
            List<Violation> violations = new ArrayList<>();
            for (String required : template.requiredData()) {
                if (!draft.data().containsKey(required)) {
                    violations.add(Violation.body("variables." + required, "the template uses data." + required
                            + " but no value was given"));
                }
            }
            for (String given : draft.data().keySet()) {
                if (!used.contains(given)) {
                    violations.add(Violation.body("variables." + given, "unknown template variable (the template uses "
                            + (used.isEmpty() ? "none" : String.join(", ", used)) + ")"));
                }
            }
            if (!violations.isEmpty()) {
                throw Problems.badRequest(violations.get(0).field() + ": " + violations.get(0).message(), violations);
            }
        }).replaceWithVoid();
    }

    private static boolean sameRequest(Message message, Draft draft) {
        return message.profileId.equals(draft.profileId()) && message.channel.equals(draft.channel().wire())
                && message.templateId.equals(draft.templateId());
    }
}
