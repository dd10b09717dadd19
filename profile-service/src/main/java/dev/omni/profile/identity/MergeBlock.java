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

/** Two profiles an operator split apart: identity resolution does not merge them again on its own. */
@Entity
@Table(name = "merge_block")
@IdClass(MergeBlock.Pair.class)
public class MergeBlock extends PanacheEntityBase {

    @Id
    @Column(name = "profile_a")
    public UUID profileA;

    @Id
    @Column(name = "profile_b")
    public UUID profileB;

    @Column(name = "merge_id", nullable = false)
    public UUID mergeId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static class Pair implements Serializable {
        public UUID profileA;
        public UUID profileB;

        @Override
        public boolean equals(Object other) {
            return other instanceof Pair pair && Objects.equals(profileA, pair.profileA)
                    && Objects.equals(profileB, pair.profileB);
        }

        @Override
        public int hashCode() {
            return Objects.hash(profileA, profileB);
        }
    }

    static MergeBlock of(ProfileMerge merge, Instant at) {
        MergeBlock block = new MergeBlock();
        block.profileA = merge.survivorId;
        block.profileB = merge.absorbedId;
        block.mergeId = merge.id;
        block.createdAt = at;
        return block;
    }

    /** Blocks between any two of {@code profiles}. */
    static Uni<List<MergeBlock>> among(Collection<UUID> profiles) {
        return list("profileA in ?1 and profileB in ?1", profiles);
    }
}
