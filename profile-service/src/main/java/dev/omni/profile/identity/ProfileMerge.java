package dev.omni.profile.identity;

import dev.omni.contracts.profile.Identifier;
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
import java.util.UUID;

/** One merge and what each side owned when it happened; {@link #unmergedAt} is set when it is undone. */
@Entity
@Table(name = "profile_merge")
public class ProfileMerge extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "survivor_id", nullable = false)
    public UUID survivorId;

    @Column(name = "absorbed_id", nullable = false)
    public UUID absorbedId;

    @Column(nullable = false)
    public String reason;

    /** What each side owned when they merged. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Contributions contributions;

    @Column(name = "merged_at", nullable = false)
    public Instant mergedAt;

    @Column(name = "unmerged_at")
    public Instant unmergedAt;

    @Column(name = "unmerge_reason")
    public String unmergeReason;

    /** The identifiers of each side (a JSON object: the reactive driver binds objects, not arrays). */
    public record Contributions(List<Identifier> survivor, List<Identifier> absorbed) {
    }

    /** Merges that touched any profile of a group, newest first. */
    static Uni<List<ProfileMerge>> ofGroup(UUID survivorId) {
        return list("survivorId in (select p.id from Profile p where p.survivorId = ?1) "
                + "or absorbedId in (select p.id from Profile p where p.survivorId = ?1) order by mergedAt desc",
                survivorId);
    }
}
