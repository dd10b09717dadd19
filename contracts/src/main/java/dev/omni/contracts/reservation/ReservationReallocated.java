package dev.omni.contracts.reservation;

import java.time.Instant;
import java.util.List;

/** An at-risk reservation moved to another store; messaging tells the customer where to pick up. */
public record ReservationReallocated(String reservationId, String profileId, String fromLocationId,
        String toLocationId, List<ReservationLine> lines, Instant at) {
}
