package dev.omni.profile.segment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A survivor profile in a segment since {@link #enteredAt}. */
@Entity
@Table(name = "segment_member")
@IdClass(SegmentMember.Key.class)
public class SegmentMember extends PanacheEntityBase {

    @Id
    @Column(name = "segment_id")
    public UUID segmentId;

    @Id
    @Column(name = "profile_id")
    public UUID profileId;

    @Column(name = "entered_at", nullable = false)
    public Instant enteredAt;

    public static class Key implements Serializable {
        public UUID segmentId;
        public UUID profileId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(segmentId, key.segmentId)
                    && Objects.equals(profileId, key.profileId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(segmentId, profileId);
        }
    }
}
