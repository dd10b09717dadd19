package dev.omni.contracts.profile;

import java.time.Instant;
import java.util.List;

/** {@code absorbedProfileId} now resolves to {@code survivorProfileId}; {@code mergeId} undoes it. */
public record ProfileMerged(String mergeId, String survivorProfileId, String absorbedProfileId,
        List<Identifier> absorbedIdentifiers, String reason, Instant mergedAt) {
}
