package dev.omni.attribution.profile;

import dev.omni.attribution.journey.JourneyMaterializer;
import dev.omni.attribution.touchpoint.Conversion;
import dev.omni.attribution.touchpoint.Touchpoint;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.contracts.profile.ProfileUnmerged;
import dev.omni.contracts.profile.SegmentMembershipChanged;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Applies profile changes to attribution data, inside the inbox transaction: a merge joins the journeys of both
 * profiles (an edge resolved when journeys are read), an unmerge splits them again, an erasure deletes everything
 * held for the profile and what was merged into it.
 */
@ApplicationScoped
public class ProfileChanges {

    private final JourneyMaterializer journeys;

    public ProfileChanges(JourneyMaterializer journeys) {
        this.journeys = journeys;
    }

    public Uni<Void> merged(ProfileMerged merged, Instant eventTime) {
        if (merged.absorbedProfileId() == null || merged.survivorProfileId() == null
                || merged.absorbedProfileId().equals(merged.survivorProfileId())) {
            return Uni.createFrom().voidItem();
        }
        ProfileAlias alias = new ProfileAlias();
        alias.absorbedId = merged.absorbedProfileId();
        alias.survivorId = merged.survivorProfileId();
        alias.mergeId = merged.mergeId() != null ? merged.mergeId() : "";
        alias.mergedAt = merged.mergedAt() != null ? merged.mergedAt() : eventTime;
        return Panache.getSession().chain(session -> session.merge(alias))
                .chain(() -> journeys.refresh(List.of(alias.absorbedId, alias.survivorId)));
    }

    public Uni<Void> unmerged(ProfileUnmerged unmerged) {
        return ProfileAlias.delete("mergeId = ?1 or (absorbedId = ?2 and survivorId = ?3)",
                unmerged.mergeId() != null ? unmerged.mergeId() : "", unmerged.restoredProfileId(),
                unmerged.survivorProfileId())
                .chain(() -> journeys.refresh(Arrays.asList(unmerged.restoredProfileId(), unmerged.survivorProfileId())));
    }

    public Uni<Void> erased(ProfileErased erased, Instant eventTime) {
        if (erased.profileId() == null) {
            return Uni.createFrom().voidItem();
        }
        Instant at = erased.erasedAt() != null ? erased.erasedAt() : eventTime;
        return ProfileAlias.<ProfileAlias>listAll().chain(all -> {
            AliasMap aliases = new AliasMap(edges(all));
            List<String> ids = new ArrayList<>(aliases.group(erased.profileId()));
            // the profile it was merged into (if any) loses the erased touches from its journeys
            List<String> concerned = new ArrayList<>(ids);
            concerned.add(aliases.resolve(erased.profileId()));
            return Touchpoint.delete("profileId in ?1", ids)
                    .chain(() -> Conversion.delete("profileId in ?1", ids))
                    .chain(() -> SegmentMember.delete("key.profileId in ?1", ids))
                    .chain(() -> ProfileAlias.delete("absorbedId in ?1 or survivorId in ?1", ids))
                    .chain(() -> Panache.getSession().chain(session -> {
                        Uni<Void> tombstones = Uni.createFrom().voidItem();
                        for (String id : ids) {
                            ErasedProfile tombstone = new ErasedProfile();
                            tombstone.profileId = id;
                            tombstone.erasedAt = at;
                            tombstones = tombstones.chain(() -> session.merge(tombstone).replaceWithVoid());
                        }
                        return tombstones;
                    }))
                    .chain(() -> journeys.refresh(concerned));
        });
    }

    public Uni<Void> segmentEntered(SegmentMembershipChanged change, Instant eventTime) {
        if (change.profileId() == null || change.segmentId() == null) {
            return Uni.createFrom().voidItem();
        }
        SegmentMember member = new SegmentMember();
        member.key = new SegmentMember.Key(change.segmentId(), change.profileId());
        member.segmentName = change.segmentName();
        member.enteredAt = change.changedAt() != null ? change.changedAt() : eventTime;
        return Panache.getSession().chain(session -> session.merge(member)).replaceWithVoid();
    }

    public Uni<Void> segmentExited(SegmentMembershipChanged change) {
        if (change.profileId() == null || change.segmentId() == null) {
            return Uni.createFrom().voidItem();
        }
        return SegmentMember.delete("key.segmentId = ?1 and key.profileId = ?2", change.segmentId(),
                change.profileId()).replaceWithVoid();
    }

    private static Map<String, String> edges(List<ProfileAlias> aliases) {
        return aliases.stream().collect(Collectors.toMap(a -> a.absorbedId, a -> a.survivorId));
    }
}
