package dev.omni.attribution.touchpoint;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A stored touchpoint as reports and the API read it. */
public record TouchpointView(UUID id, String profileId, Instant occurredAt, String channel, boolean direct,
        boolean online, String event, String campaign, String source, String medium, BigDecimal cost) {
}
