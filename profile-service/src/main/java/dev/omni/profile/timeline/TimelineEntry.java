package dev.omni.profile.timeline;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One thing that happened to a profile on a channel: an interaction, a message, a support contact. */
@Entity
@Table(name = "timeline_entry")
public class TimelineEntry extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    @Column(nullable = false)
    public String channel;

    /** interaction, message or support. */
    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String name;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> details;

    public static TimelineEntry of(UUID profileId, String channel, String kind, String name, Instant occurredAt,
            Map<String, Object> details) {
        TimelineEntry entry = new TimelineEntry();
        entry.id = UUID.randomUUID();
        entry.profileId = profileId;
        entry.channel = channel;
        entry.kind = kind;
        entry.name = name;
        entry.occurredAt = occurredAt;
        entry.details = details == null ? Map.of() : details;
        return entry;
    }

    public static Uni<List<TimelineEntry>> latest(UUID profileId, int limit) {
        return find("profileId = ?1 order by occurredAt desc", profileId).page(0, limit).list();
    }
}
