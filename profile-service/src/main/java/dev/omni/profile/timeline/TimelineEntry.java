package dev.omni.profile.timeline;

import dev.omni.contracts.TimeOrderedIds;
import io.quarkus.hibernate.reactive.panache.Panache;
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

    /*
     * A customer's timeline grows with every interaction (a busy one holds tens of thousands of entries), so the
     * reads of the 360 view walk the indexes instead of the history: each profile of the group contributes its own
     * newest entries (index profile_id, occurred_at), and the last entry of each channel is found by skipping from
     * channel to channel (index profile_id, channel, occurred_at), never by sorting the whole timeline.
     */
    private static final String LATEST = """
            SELECT e.* FROM profile p CROSS JOIN LATERAL (
                SELECT t.* FROM timeline_entry t
                WHERE t.profile_id = p.id AND (CAST(?3 AS text) IS NULL OR t.kind = CAST(?3 AS text))
                ORDER BY t.occurred_at DESC, t.id LIMIT ?2) e
            WHERE p.survivor_id = ?1
            ORDER BY e.occurred_at DESC, e.id LIMIT ?2""";
    private static final String LAST_PER_CHANNEL = """
            WITH RECURSIVE channels AS (
                SELECT p.id AS profile_id,
                       (SELECT min(t.channel) FROM timeline_entry t WHERE t.profile_id = p.id) AS channel
                FROM profile p WHERE p.survivor_id = ?1
                UNION ALL
                SELECT c.profile_id, (SELECT min(t.channel) FROM timeline_entry t
                                      WHERE t.profile_id = c.profile_id AND t.channel > c.channel)
                FROM channels c WHERE c.channel IS NOT NULL)
            SELECT DISTINCT ON (e.channel) e.* FROM channels c CROSS JOIN LATERAL (
                SELECT t.* FROM timeline_entry t WHERE t.profile_id = c.profile_id AND t.channel = c.channel
                ORDER BY t.occurred_at DESC LIMIT 1) e
            ORDER BY e.channel, e.occurred_at DESC""";

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
        entry.id = TimeOrderedIds.next();
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
        return latest(survivorId, null, limit);
    }

    /** The newest entries of one kind (interaction, message, support; null: every kind) of a group, newest first. */
    public static Uni<List<TimelineEntry>> latest(UUID survivorId, String kind, int limit) {
        return Panache.getSession().chain(session -> session.createNativeQuery(LATEST, TimelineEntry.class)
                .setParameter(1, survivorId).setParameter(2, limit).setParameter(3, kind).getResultList());
    }

    /** The newest entry of each channel of a group. */
    public static Uni<List<TimelineEntry>> lastPerChannel(UUID survivorId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(LAST_PER_CHANNEL, TimelineEntry.class)
                .setParameter(1, survivorId).getResultList());
    }
}
