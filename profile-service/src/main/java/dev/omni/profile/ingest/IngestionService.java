package dev.omni.profile.ingest;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.profile.Identifier;
import dev.omni.contracts.profile.ProfileIdentified;
import dev.omni.platform.outbox.Outbox;
import dev.omni.profile.identity.IdentityResolver;
import dev.omni.profile.identity.Profile;
import dev.omni.profile.identity.ProfileIdentifier;
import dev.omni.profile.timeline.TimelineEntry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Ingests one valid event: drops a repeated messageId, resolves the profile, records the interaction on the
 * timeline and, in the same transaction, the {@code omni.interactions} event in the outbox — so an accepted event
 * is never lost.
 */
@ApplicationScoped
public class IngestionService {

    private static final String SOURCE = "/profile-service";
    /** Two requests creating the same new identifier at once: the loser retries and finds the winner's profile. */
    private static final int ATTEMPTS = 3;

    private final IdentityResolver identities;
    private final Outbox outbox;

    public IngestionService(IdentityResolver identities, Outbox outbox) {
        this.identities = identities;
        this.outbox = outbox;
    }

    public Uni<IngestResult> ingest(int index, EventParser.Parsed parsed) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> ingestOnce(index, parsed)))
                .onFailure(PersistenceException.class).retry().atMost(ATTEMPTS);
    }

    private Uni<IngestResult> ingestOnce(int index, EventParser.Parsed parsed) {
        IncomingEvent event = parsed.event();
        Instant now = Instant.now();
        Uni<IngestedMessage> seen = event.messageId() == null
                ? Uni.createFrom().nullItem()
                : IngestedMessage.recent(event.messageId(), now);
        return seen.chain(previous -> previous != null
                ? Uni.createFrom().item(new IngestResult(index, IngestResult.Status.DUPLICATE, previous.profileId, null))
                : identities.resolve(parsed.identifiers(), now)
                        .call(profile -> record(profile, event, now))
                        .map(profile -> new IngestResult(index, IngestResult.Status.ACCEPTED, profile.id, null)));
    }

    private Uni<Void> record(Profile profile, IncomingEvent event, Instant now) {
        Instant occurredAt = event.timestamp() != null ? event.timestamp() : now;
        String profileId = profile.id.toString();
        Uni<Void> identified = "identify".equals(event.type()) ? identify(profile, event, now) : Uni.createFrom().voidItem();
        Map<String, Object> properties = event.properties() == null ? Map.of() : event.properties();
        InteractionRecorded interaction = new InteractionRecorded(profileId, event.messageId(), event.type(),
                event.name(), event.channel(), occurredAt, properties, event.value(), event.currency(),
                event.campaign());
        return identified
                .chain(() -> TimelineEntry.of(profile.id, event.channel().wire(), "interaction", event.name(),
                        occurredAt, properties).persist())
                .chain(() -> outbox.publish(CloudEvent.of(EventType.INTERACTION_RECORDED, SOURCE, profileId,
                        interaction)))
                .chain(() -> remember(event.messageId(), profile, now));
    }

    private Uni<Void> identify(Profile profile, IncomingEvent event, Instant now) {
        if (event.traits() != null) {
            profile.traits.putAll(event.traits());
        }
        profile.updatedAt = now;
        return ProfileIdentifier.ofProfile(profile.id)
                .chain(ids -> outbox.publish(CloudEvent.of(EventType.PROFILE_IDENTIFIED, SOURCE, profile.id.toString(),
                        new ProfileIdentified(profile.id.toString(),
                                ids.stream().map(i -> new Identifier(i.type, i.value)).toList(),
                                new HashMap<>(profile.traits), now))));
    }

    private static Uni<Void> remember(String messageId, Profile profile, Instant now) {
        if (messageId == null) {
            return Uni.createFrom().voidItem();
        }
        IngestedMessage message = new IngestedMessage();
        message.messageId = messageId;
        message.profileId = profile.id;
        message.receivedAt = now;
        return Panache.getSession().chain(s -> s.merge(message)).replaceWithVoid();
    }
}
