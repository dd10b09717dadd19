package dev.omni.contracts.availability;

import java.time.Instant;

/** The stock picture of one {@code sku@location} after a change; the topic is compacted on that key. */
public record AvailabilityChanged(String sku, String productId, String locationId, int onHand, int reserved,
        int committed, int safetyStock, int damaged, int available, Instant changedAt) {
}
