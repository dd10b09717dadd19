package dev.omni.profile.identity;

import dev.omni.contracts.TimeOrderedIds;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A customer as one channel first met them. Profiles merged into another keep their rows and point at the
 * survivor ({@link #survivorId}); the survivor and the profiles pointing at it form one group, read as one
 * customer.
 */
@Entity
public class Profile extends PanacheEntityBase {

    @Id
    public UUID id;

    /**
     * Traits this profile itself received; a group's traits overlay them, the survivor's last. No field initializer:
     * with one, every profile Hibernate loaded counted as changed in this JSON column and was written back unchanged
     * on the next flush — a row lock per read ({@code docs/architecture.md}, Persistence).
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> traits;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The profile this one resolves to: itself while it stands alone, else the survivor of its group. */
    @Column(name = "survivor_id", nullable = false)
    public UUID survivorId;

    /** The profile this one was merged into, directly; null while it stands alone. */
    @Column(name = "merged_into")
    public UUID mergedInto;

    @Column(name = "erased_at")
    public Instant erasedAt;

    public static Profile create(Instant at) {
        Profile profile = new Profile();
        profile.id = TimeOrderedIds.next();
        profile.survivorId = profile.id;
        profile.traits = Map.of();
        profile.createdAt = at;
        profile.updatedAt = at;
        return profile;
    }

    /** Sets the given traits over this profile's own; a null value removes that trait. */
    public void withTraits(Map<String, Object> changes, Instant at) {
        Map<String, Object> next = new HashMap<>(traits);
        changes.forEach((name, value) -> {
            if (value == null) {
                next.remove(name);
            } else {
                next.put(name, value);
            }
        });
        traits = next;
        updatedAt = at;
    }

    public boolean isSurvivor() {
        return id.equals(survivorId);
    }

    /** The survivor and every profile merged into it, directly or not. */
    public static Uni<List<Profile>> group(UUID survivorId) {
        return list("survivorId = ?1", survivorId);
    }
}
