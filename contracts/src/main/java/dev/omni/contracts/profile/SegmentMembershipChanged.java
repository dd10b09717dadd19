package dev.omni.contracts.profile;

import java.time.Instant;

/** Published as {@code omni.profile.segment-entered} or {@code omni.profile.segment-exited}. */
public record SegmentMembershipChanged(String profileId, String segmentId, String segmentName, Instant changedAt) {
}
