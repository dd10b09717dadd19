package dev.omni.messaging.journey;

import java.time.Instant;
import java.util.UUID;

/** A run and, while it waits, when its timer fires. */
public record RunView(UUID id, String journeyId, UUID profileId, String status, String currentStep, String endReason,
        Instant startedAt, Instant endedAt, Instant wakesAt) {

    static RunView of(JourneyRun run, JourneyTimer timer) {
        return new RunView(run.id, run.journeyId, run.profileId, run.status, run.currentStep, run.endReason,
                run.startedAt, run.endedAt, timer == null ? null : timer.dueAt);
    }
}
