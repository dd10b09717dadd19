package dev.omni.contracts.availability;

import java.time.Instant;

/** Availability of a sku summed over the locations that fulfil a channel (e.g. {@code online}); key {@code sku@channel}. */
public record ChannelAvailabilityChanged(String sku, String productId, String channel, int available,
        Instant changedAt) {
}
