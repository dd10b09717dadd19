package dev.omni.contracts.reservation;

import java.time.Instant;

/** A store sale left less on hand than is reserved there; {@code shortfall} units of this reservation are uncovered. */
public record ReservationAtRisk(String reservationId, String profileId, String sku, String locationId, int shortfall,
        Instant at) {
}
