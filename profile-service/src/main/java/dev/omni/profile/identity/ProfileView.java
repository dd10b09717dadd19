package dev.omni.profile.identity;

import dev.omni.contracts.profile.Identifier;
import dev.omni.profile.timeline.TimelineEntry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A profile as every channel sees it: who (identifiers, traits) and what happened lately (timeline). */
public record ProfileView(UUID id, Instant createdAt, Map<String, Object> traits, List<Identifier> identifiers,
        List<Entry> timeline) {

    public record Entry(String channel, String kind, String name, Instant occurredAt, Map<String, Object> details) {
        static Entry of(TimelineEntry e) {
            return new Entry(e.channel, e.kind, e.name, e.occurredAt, e.details);
        }
    }

    static ProfileView of(Profile profile, List<ProfileIdentifier> identifiers, List<TimelineEntry> timeline) {
        return new ProfileView(profile.id, profile.createdAt, profile.traits,
                identifiers.stream().map(i -> new Identifier(i.type, i.value)).toList(),
                timeline.stream().map(Entry::of).toList());
    }
}
