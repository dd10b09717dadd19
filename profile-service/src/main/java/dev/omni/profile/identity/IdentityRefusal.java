package dev.omni.profile.identity;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An identifier an event did not attach, or a profile it did not merge, and why. */
@Entity
@Table(name = "identity_refusal")
public class IdentityRefusal extends PanacheEntityBase {

    @Id
    public UUID id;

    /** The profile the event went to. */
    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    /** The profile that was not merged, if that is what was refused. */
    @Column(name = "other_profile_id")
    public UUID otherProfileId;

    @Column(name = "identifier_type", nullable = false)
    public String identifierType;

    @Column(name = "identifier_value", nullable = false)
    public String identifierValue;

    @Column(nullable = false)
    public String reason;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    static IdentityRefusal of(UUID profileId, IdentityPlan.Refusal refusal, Instant at) {
        IdentityRefusal row = new IdentityRefusal();
        row.id = UUID.randomUUID();
        row.profileId = profileId;
        row.otherProfileId = refusal.otherProfileId();
        row.identifierType = refusal.identifier().type;
        row.identifierValue = refusal.identifier().value;
        row.reason = refusal.reason();
        row.occurredAt = at;
        return row;
    }

    /** Refusals about any profile of a group, newest first. */
    static Uni<List<IdentityRefusal>> ofGroup(UUID survivorId, int limit) {
        return find("profileId in (select p.id from Profile p where p.survivorId = ?1) "
                + "or otherProfileId in (select p.id from Profile p where p.survivorId = ?1) order by occurredAt desc",
                survivorId).page(0, limit).list();
    }
}
