package dev.omni.profile.identity;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An identifier and the profile that brought it. After a merge the row stays with that profile, which resolves to
 * the survivor: an unmerge needs no bookkeeping to give each side its identifiers back.
 */
@Entity
@Table(name = "profile_identifier")
@IdClass(ProfileIdentifier.Key.class)
public class ProfileIdentifier extends PanacheEntityBase {

    @Id
    public String type;

    @Id
    public String value;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    @Column(name = "first_seen", nullable = false)
    public Instant firstSeen;

    /** Composite primary key: an identifier value is unique within its type. */
    public static class Key implements Serializable {
        public String type;
        public String value;

        public Key() {
        }

        public Key(String type, String value) {
            this.type = type;
            this.value = value;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(type, key.type) && Objects.equals(value, key.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, value);
        }

        @Override
        public String toString() {
            return type + ' ' + value;
        }
    }

    public static ProfileIdentifier of(Key key, UUID profileId, Instant at) {
        ProfileIdentifier row = new ProfileIdentifier();
        row.type = key.type;
        row.value = key.value;
        row.profileId = profileId;
        row.firstSeen = at;
        return row;
    }

    public Key key() {
        return new Key(type, value);
    }

    /** Identifiers of every profile of a group. */
    public static Uni<List<ProfileIdentifier>> ofGroup(UUID survivorId) {
        return list("profileId in (select p.id from Profile p where p.survivorId = ?1) order by type, value",
                survivorId);
    }
}
