package dev.omni.messaging.journey;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A run waiting on a step until {@code dueAt}; a row, so it survives restarts. */
@Entity
@Table(name = "journey_timer")
public class JourneyTimer extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "run_id", nullable = false)
    public UUID runId;

    @Column(name = "step_id", nullable = false)
    public String stepId;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    static JourneyTimer at(UUID runId, String stepId, Instant dueAt, Instant now) {
        JourneyTimer timer = new JourneyTimer();
        timer.id = UUID.randomUUID();
        timer.runId = runId;
        timer.stepId = stepId;
        timer.dueAt = dueAt;
        timer.createdAt = now;
        return timer;
    }
}
