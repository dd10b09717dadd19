package dev.omni.attribution.profile;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** A profile currently in a segment (from segment-entered / segment-exited), for KPIs per segment. */
@Entity
@Table(name = "segment_member")
public class SegmentMember extends PanacheEntityBase {

    @EmbeddedId
    public Key key;

    @Column(name = "segment_name")
    public String segmentName;

    @Column(name = "entered_at", nullable = false)
    public Instant enteredAt;

    @Embeddable
    public record Key(@Column(name = "segment_id") String segmentId, @Column(name = "profile_id") String profileId)
            implements Serializable {
    }
}
