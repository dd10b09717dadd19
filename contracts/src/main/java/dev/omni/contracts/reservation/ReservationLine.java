package dev.omni.contracts.reservation;

public record ReservationLine(String sku, String locationId, int quantity) {
}
