package dev.omni.contracts.reservation;

import java.time.Instant;
import java.util.List;

/**
 * A reservation's lifecycle step; {@code status} is created, extended, committed, fulfilled, released or expired.
 */
public record ReservationChanged(String reservationId, String profileId, String status, List<ReservationLine> lines,
        Instant expiresAt, Instant changedAt) {
}
