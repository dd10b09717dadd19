package dev.omni.profile.view;

import dev.omni.contracts.profile.Identifier;
import dev.omni.platform.problem.Problems;
import dev.omni.profile.consent.ConsentChange;
import dev.omni.profile.identity.Profile;
import dev.omni.profile.identity.ProfileIdentifier;
import dev.omni.profile.identity.Profiles;
import dev.omni.profile.loyalty.LoyaltyService;
import dev.omni.profile.segment.SegmentService;
import dev.omni.profile.timeline.TimelineEntry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Assembles the 360 view of the customer a profile id or an identifier resolves to. */
@ApplicationScoped
public class ProfileViews {

    static final int TIMELINE_SIZE = 50;

    private final Profiles profiles;
    private final SegmentService segments;
    private final LoyaltyService loyalty;

    public ProfileViews(Profiles profiles, SegmentService segments, LoyaltyService loyalty) {
        this.profiles = profiles;
        this.segments = segments;
        this.loyalty = loyalty;
    }

    /** The customer {@code id} belongs to: a merged profile's id gives its survivor's view. */
    public Uni<ProfileView> byId(UUID id) {
        return profiles.survivorOf(id).chain(this::view);
    }

    public Uni<ProfileView> byIdentifier(String type, String value) {
        return ProfileIdentifier.<ProfileIdentifier>findById(new ProfileIdentifier.Key(type, value))
                .onItem().ifNull().failWith(() -> Problems.notFound("no profile has " + type + " " + value))
                .chain(identifier -> byId(identifier.profileId));
    }

    private Uni<ProfileView> view(UUID root) {
        return Profile.group(root).chain(group -> {
            Profile survivor = group.stream().filter(p -> p.id.equals(root)).findFirst().orElseThrow();
            List<UUID> merged = group.stream().filter(p -> !p.id.equals(root))
                    .sorted(Comparator.comparing((Profile p) -> p.createdAt)).map(p -> p.id).toList();
            return ProfileIdentifier.ofGroup(root)
                    .chain(ids -> ConsentChange.history(root)
                            .chain(consents -> segments.memberships(root)
                                    .chain(memberships -> loyalty.balance(root)
                                            .chain(balance -> TimelineEntry.lastPerChannel(root)
                                                    .chain(last -> TimelineEntry.latest(root, TIMELINE_SIZE)
                                                            .map(timeline -> new ProfileView(root, survivor.createdAt,
                                                                    survivor.updatedAt, Profiles.traits(group, root),
                                                                    ids.stream().map(i -> new Identifier(i.type, i.value)).toList(),
                                                                    merged,
                                                                    ConsentChange.current(consents).stream()
                                                                            .map(c -> new ProfileView.Consent(c.channel,
                                                                                    c.purpose, c.status, c.changedAt,
                                                                                    c.sourceChannel)).toList(),
                                                                    memberships.stream().map(m -> new ProfileView.Segment(
                                                                            m.segmentId(), m.name(), m.enteredAt())).toList(),
                                                                    new ProfileView.Loyalty(balance),
                                                                    last.stream().sorted(Comparator.comparing(
                                                                                    (TimelineEntry e) -> e.occurredAt).reversed())
                                                                            .map(ProfileView.Entry::of).toList(),
                                                                    timeline.stream().map(ProfileView.Entry::of).toList())))))));
        });
    }
}
