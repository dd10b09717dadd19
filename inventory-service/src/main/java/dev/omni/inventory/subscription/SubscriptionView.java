package dev.omni.inventory.subscription;

import java.time.Instant;
import java.util.UUID;

public record SubscriptionView(UUID id, String profileId, String sku, String locationId, Instant createdAt,
        Instant notifiedAt) {

    public static SubscriptionView of(BackInStockSubscription s) {
        return new SubscriptionView(s.id, s.profileId, s.sku, s.locationId, s.createdAt, s.notifiedAt);
    }
}
