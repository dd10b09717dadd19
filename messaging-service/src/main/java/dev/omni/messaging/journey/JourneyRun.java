package dev.omni.messaging.journey;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One profile's way through a journey. */
@Entity
@Table(name = "journey_run")
public class JourneyRun extends PanacheEntityBase {

    public static final String ACTIVE = "ACTIVE";
    public static final String COMPLETED = "COMPLETED";
    public static final String EXITED = "EXITED";
    public static final String STOPPED = "STOPPED";
    public static final String FAILED = "FAILED";

    @Id
    public UUID id;

    @Column(name = "journey_id", nullable = false)
    public String journeyId;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    @Column(nullable = false)
    public String status;

    @Column(name = "current_step")
    public String currentStep;

    /** The triggering event's properties ({@code event.*} in templates). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> context;

    @Column(name = "end_reason")
    public String endReason;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    void end(String status, String reason, Instant at) {
        this.status = status;
        this.endReason = reason;
        this.endedAt = at;
        this.updatedAt = at;
    }
}
