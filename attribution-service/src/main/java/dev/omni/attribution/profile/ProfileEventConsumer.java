package dev.omni.attribution.profile;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.contracts.profile.ProfileUnmerged;
import dev.omni.contracts.profile.SegmentMembershipChanged;
import dev.omni.platform.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Merges join journeys, unmerges split them, erasures remove them; segment changes feed KPIs per segment. */
@ApplicationScoped
public class ProfileEventConsumer {

    static final String CONSUMER = "attribution-profiles";

    private final Inbox inbox;
    private final ProfileChanges changes;

    public ProfileEventConsumer(Inbox inbox, ProfileChanges changes) {
        this.inbox = inbox;
        this.changes = changes;
    }

    /** Profiles created or identified and consents change nothing here: such events are not even recorded. */
    @Incoming(Topics.PROFILES)
    public Uni<Void> onProfileEvent(String value) {
        return inbox.consume(CONSUMER, value, ProfileEventConsumer::concerns, this::apply);
    }

    static boolean concerns(CloudEvent<?> event) {
        return switch (event.eventType()) {
            case PROFILE_MERGED, PROFILE_UNMERGED, PROFILE_ERASED, SEGMENT_ENTERED, SEGMENT_EXITED -> true;
            default -> false;
        };
    }

    private Uni<Void> apply(CloudEvent<?> event) {
        EventType type = event.eventType();
        return switch (type) {
            case PROFILE_MERGED -> changes.merged((ProfileMerged) event.data(), event.time());
            case PROFILE_UNMERGED -> changes.unmerged((ProfileUnmerged) event.data());
            case PROFILE_ERASED -> changes.erased((ProfileErased) event.data(), event.time());
            case SEGMENT_ENTERED -> changes.segmentEntered((SegmentMembershipChanged) event.data(), event.time());
            case SEGMENT_EXITED -> changes.segmentExited((SegmentMembershipChanged) event.data());
            default -> Uni.createFrom().voidItem();
        };
    }
}
