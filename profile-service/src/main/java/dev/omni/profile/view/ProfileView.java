package dev.omni.profile.view;

import dev.omni.contracts.profile.Identifier;
import dev.omni.profile.timeline.TimelineEntry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The 360 view of a customer as every channel sees it: who (identifiers, traits, merged profiles), what they
 * agreed to, where they belong, their points, and what happened lately on each channel and overall.
 *
 * @param mergedProfileIds profiles merged into this one; each of them resolves here
 */
public record ProfileView(UUID id, Instant createdAt, Instant updatedAt, Map<String, Object> traits,
        List<Identifier> identifiers, List<UUID> mergedProfileIds, List<Consent> consents, List<Segment> segments,
        Loyalty loyalty, List<Entry> lastInteractions, List<Entry> timeline) {

    public record Entry(String channel, String kind, String name, Instant occurredAt, Map<String, Object> details) {
        static Entry of(TimelineEntry e) {
            return new Entry(e.channel, e.kind, e.name, e.occurredAt, e.details);
        }
    }

    public record Consent(String channel, String purpose, String status, Instant changedAt, String sourceChannel) {
    }

    public record Segment(UUID id, String name, Instant enteredAt) {
    }

    public record Loyalty(long balance) {
    }
}
