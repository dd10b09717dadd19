package dev.omni.profile.continuity;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the customer left on one channel for the next: favourites, cart and recently viewed items. After a merge,
 * the union of both sides (a SKU on both: once, the cart with the larger quantity).
 */
public record ContinuityView(UUID profileId, List<Item> favourites, List<Item> cart, List<Item> recentlyViewed) {

    public record Item(String sku, int quantity, String channel, Instant updatedAt) {
    }
}
