package dev.omni.profile.identity;

import dev.omni.contracts.profile.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What identity resolution did to a customer: merges (and unmerges) and what it refused. */
@ApplicationScoped
public class MergeHistory {

    static final int REFUSALS = 100;

    private final Profiles profiles;

    public MergeHistory(Profiles profiles) {
        this.profiles = profiles;
    }

    public record View(UUID profileId, List<Merge> merges, List<Refusal> refusals) {
    }

    /** One merge with what each side brought. */
    public record Merge(UUID mergeId, UUID survivorProfileId, UUID absorbedProfileId, String reason,
            List<Identifier> survivorIdentifiers, List<Identifier> absorbedIdentifiers, Instant mergedAt,
            Instant unmergedAt, String unmergeReason) {
    }

    public record Refusal(UUID profileId, UUID otherProfileId, Identifier identifier, String reason, Instant at) {
    }

    public Uni<View> of(UUID profileId) {
        return profiles.survivorOf(profileId).chain(root -> ProfileMerge.ofGroup(root)
                .chain(merges -> IdentityRefusal.ofGroup(root, REFUSALS).map(refusals -> new View(root,
                        merges.stream().map(m -> new Merge(m.id, m.survivorId, m.absorbedId, m.reason,
                                m.contributions.survivor(), m.contributions.absorbed(), m.mergedAt, m.unmergedAt,
                                m.unmergeReason)).toList(),
                        refusals.stream().map(r -> new Refusal(r.profileId, r.otherProfileId,
                                new Identifier(r.identifierType, r.identifierValue), r.reason, r.occurredAt)).toList()))));
    }
}
