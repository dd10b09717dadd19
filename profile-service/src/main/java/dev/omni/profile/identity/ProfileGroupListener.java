package dev.omni.profile.identity;

import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.UUID;

/**
 * A part of the profile (segments, loyalty, ...) that must react when groups change, inside the merge's or the
 * unmerge's transaction, with the survivor locked.
 */
public interface ProfileGroupListener {

    /** {@code absorbedId} and its group now resolve to {@code survivorId}. */
    default Uni<Void> merged(UUID survivorId, UUID absorbedId, Instant at) {
        return Uni.createFrom().voidItem();
    }

    /** {@code restoredId} and its subtree stand alone again beside {@code survivorId}'s group. */
    default Uni<Void> unmerged(UUID survivorId, UUID restoredId, Instant at) {
        return Uni.createFrom().voidItem();
    }
}
