package dev.omni.contracts.profile;

import java.time.Instant;
import java.util.List;

/** A merge undone: {@code restoredProfileId} owns {@code restoredIdentifiers} again. */
public record ProfileUnmerged(String mergeId, String survivorProfileId, String restoredProfileId,
        List<Identifier> restoredIdentifiers, Instant unmergedAt) {
}
