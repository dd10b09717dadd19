package dev.omni.attribution.profile;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A profile whose data was deleted; events still in flight for it are dropped on arrival. */
@Entity
@Table(name = "erased_profile")
public class ErasedProfile extends PanacheEntityBase {

    @Id
    @Column(name = "profile_id")
    public String profileId;

    @Column(name = "erased_at", nullable = false)
    public Instant erasedAt;
}
