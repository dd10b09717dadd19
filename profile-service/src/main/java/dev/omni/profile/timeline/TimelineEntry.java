package dev.omni.profile.timeline;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.quarkus.hibernate.reactive.panache.Panache;
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

    private static final String GROUP = "profileId in (select p.id from Profile p where p.survivorId = ?1)";
    private static final String LAST_PER_CHANNEL = """
            SELECT DISTINCT ON (t.channel) t.* FROM timeline_entry t JOIN profile p ON p.id = t.profile_id
            WHERE p.survivor_id = ?1 ORDER BY t.channel, t.occurred_at DESC""";

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

    /** The newest entries of a whole group (survivor and merged profiles), newest first. */
    public static Uni<List<TimelineEntry>> latest(UUID survivorId, int limit) {
        return find(GROUP + " order by occurredAt desc, id", survivorId).page(0, limit).list();
    }

    /** The newest entries of one kind (interaction, message, support) of a group, newest first. */
    public static Uni<List<TimelineEntry>> latest(UUID survivorId, String kind, int limit) {
        return find(GROUP + " and kind = ?2 order by occurredAt desc, id", survivorId, kind).page(0, limit).list();
    }

    /** The newest entry of each channel of a group. */
    public static Uni<List<TimelineEntry>> lastPerChannel(UUID survivorId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(LAST_PER_CHANNEL, TimelineEntry.class)
                .setParameter(1, survivorId).getResultList());
    }
}
