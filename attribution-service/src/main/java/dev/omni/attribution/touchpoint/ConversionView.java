package dev.omni.attribution.touchpoint;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A stored conversion as reports and the API read it. */
public record ConversionView(UUID id, String profileId, Instant occurredAt, BigDecimal value, String currency,
        String channel, boolean online, String event, String campaign) {
}
