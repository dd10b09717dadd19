package dev.omni.profile.segment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A segment definition and how far its scheduled evaluation has got. */
@Entity
public class Segment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    public String description;

    /** As {@link SegmentDefinitionJson} writes it. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> definition;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Interactions that left their window before this instant have been swept. */
    @Column(name = "swept_until", nullable = false)
    public Instant sweptUntil;

    /** The last profile id the backfill evaluated; null before it starts. */
    @Column(name = "backfill_cursor")
    public UUID backfillCursor;

    @Column(name = "backfill_done", nullable = false)
    public boolean backfillDone;

    @Column(name = "claimed_until")
    public Instant claimedUntil;
}
