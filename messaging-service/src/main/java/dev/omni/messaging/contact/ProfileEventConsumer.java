package dev.omni.messaging.contact;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.InvalidEventException;
import dev.omni.contracts.Topics;
import dev.omni.contracts.profile.ConsentChanged;
import dev.omni.contracts.profile.ProfileCreated;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.contracts.profile.ProfileIdentified;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.contracts.profile.ProfileUnmerged;
import dev.omni.contracts.profile.SegmentMembershipChanged;
import dev.omni.messaging.TimeSource;
import dev.omni.messaging.journey.JourneyEngine;
import dev.omni.messaging.journey.Trigger;
import dev.omni.messaging.journey.TriggerConsumer;
import dev.omni.messaging.message.MessageService;
import dev.omni.platform.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Map;
import java.util.UUID;

/**
 * Reads {@code omni.profiles}: contact points and traits from created/identified, consents, merges, segment
 * entries (journey triggers) and erasure (drop contact points, stop journeys, suppress pending messages).
 */
@ApplicationScoped
public class ProfileEventConsumer {

    static final String CONSUMER = "messaging-profiles";

    private final Inbox inbox;
    private final ContactService contacts;
    private final JourneyEngine journeys;
    private final MessageService messages;
    private final TimeSource time;

    public ProfileEventConsumer(Inbox inbox, ContactService contacts, JourneyEngine journeys, MessageService messages,
            TimeSource time) {
        this.inbox = inbox;
        this.contacts = contacts;
        this.journeys = journeys;
        this.messages = messages;
        this.time = time;
    }

    /**
     * A profile created without a contact point (an anonymous visitor's first event: most of the topic under web
     * traffic) changes nothing here — a contact row is made when a contact point arrives, and every reader of
     * contacts takes a missing row as "none" — so it opens no transaction and is not recorded.
     */
    @Incoming(Topics.PROFILES)
    public Uni<Void> onProfileEvent(String value) {
        return inbox.consume(CONSUMER, value, ProfileEventConsumer::relevant,
                event -> TriggerConsumer.logged(CONSUMER, event, apply(event)));
    }

    static boolean relevant(CloudEvent<?> event) {
        return !(event.data() instanceof ProfileCreated created) || ContactService.hasContactPoint(created.identifiers());
    }

    private Uni<Void> apply(CloudEvent<?> event) {
        Object data = event.data();
        if (data instanceof ProfileCreated created) {
            return contacts.identified(id(created.profileId()), created.identifiers(), null, created.createdAt());
        }
        if (data instanceof ProfileIdentified identified) {
            return contacts.identified(id(identified.profileId()), identified.identifiers(), identified.traits(),
                    identified.identifiedAt());
        }
        if (data instanceof ConsentChanged consent) {
            return contacts.consentChanged(id(consent.profileId()), consent);
        }
        if (data instanceof ProfileMerged merged) {
            return contacts.merged(id(merged.survivorProfileId()), id(merged.absorbedProfileId()),
                            merged.absorbedIdentifiers(), merged.mergedAt())
                    .chain(() -> journeys.stopRuns(id(merged.absorbedProfileId()), "merged"));
        }
        if (data instanceof ProfileUnmerged unmerged) {
            return contacts.unmerged(id(unmerged.survivorProfileId()), id(unmerged.restoredProfileId()),
                    unmerged.restoredIdentifiers(), unmerged.unmergedAt());
        }
        if (data instanceof SegmentMembershipChanged segment && event.type().equals(EventType.SEGMENT_ENTERED.type())) {
            return journeys.trigger(new Trigger(Trigger.SEGMENT_ENTERED, id(segment.profileId()), segment.segmentId(),
                    Map.of("segmentId", segment.segmentId(),
                            "segmentName", segment.segmentName() == null ? segment.segmentId() : segment.segmentName())));
        }
        if (data instanceof ProfileErased erased) {
            UUID profileId = id(erased.profileId());
            return contacts.erase(profileId, erased.erasedAt() == null ? time.now() : erased.erasedAt())
                    .chain(() -> journeys.stopRuns(profileId, "erased"))
                    .chain(() -> messages.erase(profileId, time.now()));
        }
        return Uni.createFrom().voidItem();
    }

    /** A profile id that is not a UUID makes the record poison: it goes to the dead-letter topic. */
    static UUID id(String profileId) {
        try {
            return UUID.fromString(profileId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidEventException("profileId '" + profileId + "' is not a profile id");
        }
    }
}
