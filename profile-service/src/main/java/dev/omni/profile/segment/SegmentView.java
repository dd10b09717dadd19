package dev.omni.profile.segment;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A segment as the API shows it.
 *
 * @param backfilled whether every existing profile has been evaluated since the definition last changed
 */
public record SegmentView(UUID id, String name, String description, String match, JsonNode conditions,
        Instant createdAt, Instant updatedAt, boolean backfilled, long members) {

    /** A page of members, in profile id order; {@code next} is the {@code after} of the next page. */
    public record Members(UUID segmentId, List<Member> members, UUID next) {
    }

    public record Member(UUID profileId, Instant enteredAt) {
    }

    /** What a definition would hold now: how many customers, and up to 10 of them in profile id order. */
    public record Preview(long count, List<UUID> sample) {
    }
}
