package dev.omni.attribution.profile;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A merge: {@code absorbedId} now belongs to {@code survivorId}; deleted again when the merge is undone. */
@Entity
@Table(name = "profile_alias")
public class ProfileAlias extends PanacheEntityBase {

    @Id
    @Column(name = "absorbed_id")
    public String absorbedId;

    @Column(name = "survivor_id", nullable = false)
    public String survivorId;

    @Column(name = "merge_id", nullable = false)
    public String mergeId;

    @Column(name = "merged_at", nullable = false)
    public Instant mergedAt;
}
