package dev.omni.profile.support;

import dev.omni.contracts.Channel;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.platform.outbox.Outbox;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import dev.omni.profile.idempotency.IdempotencyKeys;
import dev.omni.profile.identity.Profiles;
import dev.omni.profile.timeline.TimelineEntry;
import dev.omni.profile.tx.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Support contacts on the profile's timeline: opening one and every follow-up write a timeline entry with what was
 * said, so the next agent, on any channel, reads it before asking again. Opening one is also an interaction on
 * {@code omni.interactions} ({@code support_contacted}), without the notes.
 */
@ApplicationScoped
public class SupportService {

    static final String OPENED = "support_contacted";
    static final String FOLLOWED_UP = "support_followed_up";
    private static final String SOURCE = "/profile-service";

    private final Profiles profiles;
    private final Outbox outbox;
    private final IdempotencyKeys idempotency;

    public SupportService(Profiles profiles, Outbox outbox, IdempotencyKeys idempotency) {
        this.profiles = profiles;
        this.outbox = outbox;
        this.idempotency = idempotency;
    }

    public Uni<List<SupportRequests.ContactView>> list(UUID profileId) {
        return profiles.survivorOf(profileId).chain(SupportContact::ofGroup)
                .map(contacts -> contacts.stream().map(SupportRequests.ContactView::of).toList());
    }

    public Uni<SupportRequests.ContactView> open(UUID profileId, SupportRequests.Open request, String idempotencyKey) {
        return Transactions.retrying(() -> idempotency.once("support:" + profileId, idempotencyKey, request,
                SupportRequests.ContactView.class, () -> profiles.survivorOf(profileId).chain(root -> {
                    Instant now = Instant.now();
                    SupportContact contact = new SupportContact();
                    contact.id = UUID.randomUUID();
                    contact.profileId = root;
                    contact.channel = request.channel();
                    contact.topic = request.topic().trim();
                    contact.status = request.status() == null ? "open" : request.status();
                    contact.openedAt = now;
                    contact.updatedAt = now;
                    contact.conversation = new SupportContact.Conversation(List.of());
                    if (request.note() != null && !request.note().isBlank()) {
                        contact.conversation = contact.conversation.with(new SupportContact.Note(now, request.agent(),
                                request.channel(), request.note()));
                    }
                    Map<String, Object> properties = Map.of("contactId", contact.id.toString(), "topic", contact.topic,
                            "status", contact.status);
                    return contact.persist()
                            .chain(() -> onTimeline(contact, OPENED, request.note(), request.agent(), request.channel(), now))
                            .chain(() -> outbox.publish(CloudEvent.of(EventType.INTERACTION_RECORDED, SOURCE,
                                    root.toString(), new InteractionRecorded(root.toString(), null, "track", OPENED,
                                            Channel.fromWire(contact.channel), now, properties, null, null, null))))
                            .map(ignored -> SupportRequests.ContactView.of(contact));
                })));
    }

    public Uni<SupportRequests.ContactView> followUp(UUID profileId, UUID contactId, SupportRequests.FollowUp request) {
        if (request.status() == null && (request.note() == null || request.note().isBlank())) {
            throw Problems.badRequest(Violation.body("note", "a follow-up needs a note or a status"));
        }
        return Transactions.retrying(() -> profiles.survivorOf(profileId).chain(root -> SupportContact
                .<SupportContact>find("id = ?1 and profileId in (select p.id from Profile p where p.survivorId = ?2)",
                        contactId, root)
                .firstResult()
                .onItem().ifNull().failWith(() -> Problems.notFound("profile " + profileId + " has no support contact "
                        + contactId))
                .chain(contact -> {
                    Instant now = Instant.now();
                    String channel = request.channel() != null ? request.channel() : contact.channel;
                    if (request.note() != null && !request.note().isBlank()) {
                        contact.conversation = contact.conversation.with(new SupportContact.Note(now, request.agent(),
                                channel, request.note()));
                    }
                    if (request.status() != null) {
                        contact.status = request.status();
                    }
                    contact.updatedAt = now;
                    return onTimeline(contact, FOLLOWED_UP, request.note(), request.agent(), channel, now)
                            .map(ignored -> SupportRequests.ContactView.of(contact));
                })));
    }

    private static Uni<Void> onTimeline(SupportContact contact, String name, String note, String agent, String channel,
            Instant at) {
        Map<String, Object> details = new HashMap<>();
        details.put("contactId", contact.id.toString());
        details.put("topic", contact.topic);
        details.put("status", contact.status);
        if (note != null && !note.isBlank()) {
            details.put("note", note);
        }
        if (agent != null) {
            details.put("agent", agent);
        }
        return TimelineEntry.of(contact.profileId, channel, "support", name, at, details).persist().replaceWithVoid();
    }
}
