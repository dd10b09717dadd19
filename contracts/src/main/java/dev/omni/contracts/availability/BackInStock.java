package dev.omni.contracts.availability;

import java.time.Instant;
import java.util.List;

/** Available went from 0 to more; {@code locationId} is null for channel-wide (online) subscriptions. */
public record BackInStock(String sku, String productId, String locationId, int available,
        List<String> subscriberProfileIds, Instant at) {
}
