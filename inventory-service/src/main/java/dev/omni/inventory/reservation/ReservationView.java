package dev.omni.inventory.reservation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record ReservationView(UUID id, String profileId, String channel, ReservationStatus status,
        String pickupLocationId, boolean allowReallocation, Double reallocationRadiusKm, String orderId,
        boolean atRisk, List<Line> lines, Instant expiresAt, Instant createdAt, Instant updatedAt) {

    public record Line(String sku, String locationId, int quantity, boolean atRisk) {
    }

    public static ReservationView of(Reservation r, List<ReservationLine> lines) {
        return new ReservationView(r.id, r.profileId, r.channel, r.status, r.pickupLocationId, r.allowReallocation,
                r.reallocationRadiusKm, r.orderId, lines.stream().anyMatch(l -> l.atRisk),
                lines.stream().map(l -> new Line(l.sku, l.locationId, l.quantity, l.atRisk)).toList(),
                r.expiresAt, r.createdAt, r.updatedAt);
    }
}
