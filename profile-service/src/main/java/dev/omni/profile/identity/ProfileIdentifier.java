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
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

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
    }

    public static Uni<List<ProfileIdentifier>> ofProfile(UUID profileId) {
        return list("profileId = ?1 order by type, value", profileId);
    }

    /** Identifiers among {@code candidates} that already belong to a profile. */
    public static Uni<List<ProfileIdentifier>> known(Collection<Key> candidates) {
        List<String> flat = candidates.stream().map(k -> k.type + ':' + k.value).toList();
        return list("concat(type, ':', value) in ?1", flat);
    }
}
