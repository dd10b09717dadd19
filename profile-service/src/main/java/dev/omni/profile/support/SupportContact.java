package dev.omni.profile.support;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A conversation with customer service on any channel, with the notes each agent left. */
@Entity
@Table(name = "support_contact")
public class SupportContact extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    @Column(nullable = false)
    public String channel;

    @Column(nullable = false)
    public String topic;

    /** open, pending, resolved */
    @Column(nullable = false)
    public String status;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Conversation conversation;

    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The notes, oldest first (a JSON object: the reactive driver binds objects, not arrays). */
    public record Conversation(List<Note> notes) {
        Conversation with(Note note) {
            List<Note> more = new ArrayList<>(notes);
            more.add(note);
            return new Conversation(List.copyOf(more));
        }
    }

    /** What an agent wrote, when, on which channel. */
    public record Note(Instant at, String author, String channel, String text) {
    }

    /** Every contact of a group, most recently updated first. */
    static Uni<List<SupportContact>> ofGroup(UUID survivorId) {
        return list("profileId in (select p.id from Profile p where p.survivorId = ?1) order by updatedAt desc, id",
                survivorId);
    }
}
