package dev.omni.profile.identity;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.profile.Identifier;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.contracts.profile.ProfileUnmerged;
import dev.omni.platform.outbox.Outbox;
import dev.omni.platform.problem.Problems;
import dev.omni.profile.tx.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Merges a group into another and undoes it. Nothing moves: the absorbed profile and its subtree point at the
 * survivor, so an unmerge only points them back, and every row each side owned is its own again.
 */
@ApplicationScoped
public class MergeService {

    static final String SOURCE = "/profile-service";

    private static final String RESTORE_SUBTREE = """
            WITH RECURSIVE subtree AS (
                SELECT id FROM profile WHERE merged_into = ?1
                UNION ALL
                SELECT p.id FROM profile p JOIN subtree s ON p.merged_into = s.id
            )
            UPDATE profile SET survivor_id = ?1 WHERE id IN (SELECT id FROM subtree)""";

    private final Outbox outbox;
    private final Profiles profiles;
    private final List<ProfileGroupListener> listeners;

    public MergeService(Outbox outbox, Profiles profiles, @Any Instance<ProfileGroupListener> listeners) {
        this.outbox = outbox;
        this.profiles = profiles;
        this.listeners = listeners.stream().toList();
    }

    /**
     * Merges the group of {@code absorbed} into {@code survivor}'s. Both must be survivors locked by the caller's
     * transaction.
     */
    Uni<ProfileMerge> merge(Profile survivor, Profile absorbed, String reason, Instant at) {
        return ProfileIdentifier.ofGroup(survivor.id).chain(survivorIds -> ProfileIdentifier.ofGroup(absorbed.id)
                .chain(absorbedIds -> {
                    ProfileMerge merge = new ProfileMerge();
                    merge.id = UUID.randomUUID();
                    merge.survivorId = survivor.id;
                    merge.absorbedId = absorbed.id;
                    merge.reason = reason;
                    merge.contributions = new ProfileMerge.Contributions(identifiers(survivorIds),
                            identifiers(absorbedIds));
                    merge.mergedAt = at;
                    absorbed.survivorId = survivor.id;
                    absorbed.mergedInto = survivor.id;
                    absorbed.updatedAt = at;
                    survivor.updatedAt = at;
                    return Profile.update("survivorId = ?1 where survivorId = ?2 and id <> ?2", survivor.id, absorbed.id)
                            .chain(() -> merge.<ProfileMerge>persist())
                            .call(() -> Panache.getSession().chain(s -> s.flush()))
                            .call(() -> outbox.publish(CloudEvent.of(EventType.PROFILE_MERGED, SOURCE,
                                    survivor.id.toString(), new ProfileMerged(merge.id.toString(),
                                            survivor.id.toString(), absorbed.id.toString(),
                                            merge.contributions.absorbed(), reason, at))))
                            .call(() -> each(l -> l.merged(survivor.id, absorbed.id, at)));
                }));
    }

    /**
     * Splits {@code mergeId} back: its absorbed profile and everything merged into it stand alone again with what
     * they own, and the two sides are never merged again automatically.
     *
     * @param profileId either side of the merge (or any profile of the group)
     */
    public Uni<Unmerged> unmerge(UUID profileId, UUID mergeId, String reason) {
        return Transactions.retrying(() -> ProfileMerge.<ProfileMerge>findById(mergeId)
                .onItem().ifNull().failWith(() -> Problems.notFound("no merge " + mergeId))
                .chain(merge -> profiles.survivorOf(profileId).chain(root -> profiles.survivorOf(merge.absorbedId)
                        .chain(absorbedRoot -> {
                            if (merge.unmergedAt != null) {
                                throw Problems.conflict("merge " + mergeId + " was already undone at " + merge.unmergedAt);
                            }
                            if (!absorbedRoot.equals(root)) {
                                throw Problems.notFound("merge " + mergeId + " is not one of profile " + profileId);
                            }
                            return profiles.lockSurvivor(profileId).chain(survivor -> split(survivor, merge, reason));
                        }))));
    }

    private Uni<Unmerged> split(Profile root, ProfileMerge merge, String reason) {
        Instant at = Instant.now();
        return Profile.<Profile>findById(merge.absorbedId).chain(restored -> {
            restored.survivorId = restored.id;
            restored.mergedInto = null;
            restored.updatedAt = at;
            merge.unmergedAt = at;
            merge.unmergeReason = reason;
            return Panache.getSession()
                    .chain(session -> session.flush()
                            .chain(() -> session.createNativeQuery(RESTORE_SUBTREE).setParameter(1, restored.id)
                                    .executeUpdate()))
                    .chain(() -> Panache.getSession().chain(s -> s.merge(MergeBlock.of(merge, at))))
                    .chain(() -> Panache.getSession().chain(s -> s.flush()))
                    .chain(() -> each(l -> l.unmerged(root.id, restored.id, at)))
                    .chain(() -> ProfileIdentifier.ofGroup(restored.id))
                    .call(ids -> outbox.publish(CloudEvent.of(EventType.PROFILE_UNMERGED, SOURCE,
                            merge.survivorId.toString(), new ProfileUnmerged(merge.id.toString(),
                                    merge.survivorId.toString(), restored.id.toString(), identifiers(ids), at))))
                    .map(ids -> new Unmerged(merge.id, root.id, restored.id, identifiers(ids), at));
        });
    }

    private Uni<Void> each(Function<ProfileGroupListener, Uni<Void>> call) {
        return Multi.createFrom().iterable(listeners).onItem().transformToUniAndConcatenate(call::apply)
                .collect().last().replaceWithVoid();
    }

    static List<Identifier> identifiers(List<ProfileIdentifier> rows) {
        return rows.stream().map(i -> new Identifier(i.type, i.value)).toList();
    }

    /** The answer to an unmerge. */
    public record Unmerged(UUID mergeId, UUID survivorProfileId, UUID restoredProfileId,
            List<Identifier> restoredIdentifiers, Instant unmergedAt) {
    }
}
