package dev.omni.gateway.stock;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "omni.gateway.stock-movements")
public interface StockMovementsConfig {

    /** Movements per request. */
    @WithDefault("500")
    int maxBatch();

    /** How long a request waits for Kafka to acknowledge every movement before it answers 503. */
    @WithDefault("15s")
    Duration publishTimeout();

    /** How far in the future {@code occurredAt} may be (partners' clocks drift). */
    @WithDefault("5m")
    Duration maxClockSkew();
}
