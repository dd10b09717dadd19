package dev.omni.gateway.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Map;

/**
 * Token-bucket limits: {@code capacity} requests at once, refilled at {@code capacity} per {@code period}. One bucket
 * per client id and granting scope ({@code omni.gateway.rate-limit.scopes."stock:write".*}); customers get one each
 * ({@code scopes.customer}), calls without a token one per address ({@code scopes.public}).
 */
@ConfigMapping(prefix = "omni.gateway.rate-limit")
public interface RateLimitConfig {

    @WithName("default")
    Limit defaultLimit();

    Map<String, Limit> scopes();

    /** Buckets kept before idle (full) ones are dropped. */
    @WithDefault("100000")
    int maxBuckets();

    interface Limit {
        @WithDefault("600")
        int capacity();

        @WithDefault("60s")
        Duration period();
    }
}
