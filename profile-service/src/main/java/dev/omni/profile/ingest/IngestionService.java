package dev.omni.profile.ingest;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.profile.Identifier;
import dev.omni.contracts.profile.ProfileIdentified;
import dev.omni.platform.outbox.Outbox;
import dev.omni.profile.continuity.ContinuityService;
import dev.omni.profile.identity.IdentityResolver;
import dev.omni.profile.identity.Profile;
import dev.omni.profile.identity.ProfileIdentifier;
import dev.omni.profile.identity.Profiles;
import dev.omni.profile.identity.Resolution;
import dev.omni.profile.loyalty.LoyaltyService;
import dev.omni.profile.segment.SegmentService;
import dev.omni.profile.timeline.TimelineEntry;
import dev.omni.profile.tx.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;

/**
 * Applies one accepted event in one transaction (the resolver's path for what its set-based batch does not cover,
 * and its fallback): resolves the profile (creating,
 * attaching, merging), applies traits, records the interaction on the timeline, earns loyalty points for an order,
 * notes a product view, re-evaluates segments, and writes the {@code omni.interactions} event to the outbox — so
 * an accepted event is never lost and never half-applied.
 */
@ApplicationScoped
public class IngestionService {

    static final String SOURCE = "/profile-service";
    private static final String CLAIM = "DELETE FROM accepted_event WHERE seq = ?1";
    private static final String REMEMBER = "UPDATE ingested_message SET profile_id = ?1 WHERE message_id = ?2";

    private final IdentityResolver identities;
    private final Outbox outbox;
    private final ContinuityService continuity;
    private final LoyaltyService loyalty;
    private final SegmentService segments;

    public IngestionService(IdentityResolver identities, Outbox outbox, ContinuityService continuity,
            LoyaltyService loyalty, SegmentService segments) {
        this.identities = identities;
        this.outbox = outbox;
        this.continuity = continuity;
        this.loyalty = loyalty;
        this.segments = segments;
    }

    /**
     * Applies accepted event {@code seq} alone, in its own transaction that also deletes it from the accept log:
     * null when another resolver already applied it. The accept already dropped a repeated messageId.
     */
    public Uni<AcceptLog.Outcome> applyStaged(long seq, EventParser.Parsed parsed) {
        return Transactions.retrying(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(CLAIM).setParameter(1, seq).executeUpdate())
                .chain(claimed -> claimed == 0 ? Uni.createFrom().nullItem() : applyOnce(parsed)));
    }

    private Uni<AcceptLog.Outcome> applyOnce(EventParser.Parsed parsed) {
        IncomingEvent event = parsed.event();
        Instant now = Instant.now();
        return identities.resolve(parsed.identifiers(), now, event.type() + " on " + event.channel().wire())
                .call(resolution -> record(resolution, event, now))
                .map(resolution -> new AcceptLog.Outcome(IngestResult.Status.ACCEPTED, resolution.profile().id,
                        resolution.absorbed(), resolution.notes()));
    }

    private Uni<Void> record(Resolution resolution, IncomingEvent event, Instant now) {
        Profile profile = resolution.profile();
        Instant occurredAt = event.timestamp() != null ? event.timestamp() : now;
        String profileId = profile.id.toString();
        boolean identify = "identify".equals(event.type());
        if (identify && event.traits() != null) {
            profile.withTraits(event.traits(), now);
        }
        boolean changed = identify || !resolution.absorbed().isEmpty()
                || (!resolution.created() && !resolution.attached().isEmpty());
        Map<String, Object> properties = event.properties() == null ? Map.of() : event.properties();
        InteractionRecorded interaction = new InteractionRecorded(profileId, event.messageId(), event.type(),
                event.name(), event.channel(), occurredAt, properties, event.value(), event.currency(),
                event.campaign());
        return (changed ? identified(profile, now) : Uni.createFrom().voidItem())
                .chain(() -> TimelineEntry.of(profile.id, event.channel().wire(), "interaction", event.name(),
                        occurredAt, properties).persist())
                .chain(() -> outbox.publish(CloudEvent.of(EventType.INTERACTION_RECORDED, SOURCE, profileId,
                        interaction)))
                .chain(() -> "track".equals(event.type())
                        ? continuity.viewed(profile.id, event.name(), properties.get("sku"), event.channel().wire(),
                                occurredAt)
                                .chain(() -> loyalty.earn(profile.id, event.name(), event.channel().wire(),
                                        event.value(), event.currency(), orderReference(event, properties), now))
                        : Uni.createFrom().voidItem())
                .chain(Transactions::flush)
                .chain(() -> segments.evaluate(profile.id, now))
                .chain(() -> remember(event.messageId(), profile, now));
    }

    /** An order earns once: by its orderId whichever channel reports it, else by the event's messageId. */
    private static String orderReference(IncomingEvent event, Map<String, Object> properties) {
        Object orderId = properties.get("orderId");
        if (orderId != null && !String.valueOf(orderId).isBlank()) {
            return "order:" + orderId;
        }
        return event.messageId() == null ? null : "message:" + event.messageId();
    }

    /** {@code omni.profile.identified} with the group's whole current identifiers and traits. */
    private Uni<Void> identified(Profile profile, Instant now) {
        return Panache.getSession().chain(s -> s.flush())
                .chain(() -> ProfileIdentifier.ofGroup(profile.id))
                .chain(ids -> Profile.group(profile.id).chain(group -> outbox.publish(CloudEvent.of(
                        EventType.PROFILE_IDENTIFIED, SOURCE, profile.id.toString(),
                        new ProfileIdentified(profile.id.toString(),
                                ids.stream().map(i -> new Identifier(i.type, i.value)).toList(),
                                Profiles.traits(group, profile.id), now)))));
    }

    /** The accept remembered the messageId; now it also says which profile it went to (for a repeat's answer). */
    private static Uni<Void> remember(String messageId, Profile profile, Instant now) {
        if (messageId == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.createNativeQuery(REMEMBER).setParameter(1, profile.id)
                .setParameter(2, messageId).executeUpdate()).replaceWithVoid();
    }
}
