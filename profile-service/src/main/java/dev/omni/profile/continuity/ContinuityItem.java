package dev.omni.profile.continuity;

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

/** A favourite, a cart line or a recently viewed item of one profile, written from any channel. */
@Entity
@Table(name = "continuity_item")
@IdClass(ContinuityItem.Key.class)
public class ContinuityItem extends PanacheEntityBase {

    @Id
    @Column(name = "profile_id")
    public UUID profileId;

    /** favourites, cart or recently_viewed */
    @Id
    public String list;

    @Id
    public String sku;

    /** Cart quantity; 1 for the other lists. */
    @Column(nullable = false)
    public int quantity;

    /** The channel that wrote it last. */
    @Column(nullable = false)
    public String channel;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static class Key implements Serializable {
        public UUID profileId;
        public String list;
        public String sku;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(profileId, key.profileId)
                    && Objects.equals(list, key.list) && Objects.equals(sku, key.sku);
        }

        @Override
        public int hashCode() {
            return Objects.hash(profileId, list, sku);
        }
    }

    /** Every item of a group, newest first. */
    static Uni<List<ContinuityItem>> ofGroup(UUID survivorId) {
        return list("profileId in (select p.id from Profile p where p.survivorId = ?1) order by updatedAt desc, sku",
                survivorId);
    }
}
