package dev.omni.inventory.profile;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.Topics;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.contracts.profile.ProfileUnmerged;
import dev.omni.inventory.reservation.ReservationService;
import dev.omni.inventory.subscription.SubscriptionService;
import dev.omni.platform.inbox.Inbox;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * What inventory holds about a person follows their profile: erased, the back-in-stock subscriptions of the profile
 * and of every profile merged into it go, and their reservations (which still hold stock) lose their owner; merged or
 * unmerged, the group that reads see changes.
 */
@ApplicationScoped
public class ProfileEventConsumer {

    static final String CONSUMER = "inventory-profiles";

    private final Inbox inbox;
    private final ProfileGroups groups;
    private final SubscriptionService subscriptions;
    private final ReservationService reservations;

    public ProfileEventConsumer(Inbox inbox, ProfileGroups groups, SubscriptionService subscriptions,
            ReservationService reservations) {
        this.inbox = inbox;
        this.groups = groups;
        this.subscriptions = subscriptions;
        this.reservations = reservations;
    }

    /** Most profile events (created, identified, consents, segments) concern nothing here and are not recorded. */
    @Incoming(Topics.PROFILES)
    public Uni<Void> onProfileEvent(String value) {
        return inbox.consume(CONSUMER, value, ProfileEventConsumer::concerns, this::apply);
    }

    static boolean concerns(CloudEvent<?> event) {
        return event.data() instanceof ProfileErased || event.data() instanceof ProfileMerged
                || event.data() instanceof ProfileUnmerged;
    }

    private Uni<Void> apply(CloudEvent<?> event) {
        if (event.data() instanceof ProfileErased erased && erased.profileId() != null) {
            return groups.group(erased.profileId()).chain(profileIds -> subscriptions.deleteOfProfiles(profileIds)
                    .chain(deleted -> reservations.anonymise(profileIds)
                            .invoke(anonymised -> Log.infof("profile %s erased: %d subscriptions deleted, "
                                    + "%d reservations anonymised", erased.profileId(), deleted, anonymised)))
                    .chain(() -> groups.forget(profileIds)));
        }
        if (event.data() instanceof ProfileMerged merged && merged.mergeId() != null
                && merged.absorbedProfileId() != null && merged.survivorProfileId() != null) {
            return groups.merged(merged);
        }
        if (event.data() instanceof ProfileUnmerged unmerged && unmerged.mergeId() != null) {
            return groups.unmerged(unmerged);
        }
        return Uni.createFrom().voidItem();
    }
}
