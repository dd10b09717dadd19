package dev.omni.gateway.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-client token buckets (in this gateway instance's memory: with N replicas a client gets up to N times the
 * limit). Every limited response carries {@code RateLimit-Limit}, {@code RateLimit-Remaining},
 * {@code RateLimit-Reset} and {@code RateLimit-Policy}; a refused one also {@code Retry-After}.
 */
@ApplicationScoped
public class RateLimiter {

    private final RateLimitConfig config;
    private final MeterRegistry registry;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(RateLimitConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    /**
     * Takes a token from the bucket of {@code client} under {@code policy} (a scope, {@code customer} or
     * {@code public}), writes the rate-limit headers, and says whether the request may go on.
     */
    public boolean admit(String policy, String client, HttpServerResponse response) {
        RateLimitConfig.Limit limit = config.scopes().getOrDefault(policy, config.defaultLimit());
        long now = System.nanoTime();
        if (buckets.size() >= config.maxBuckets()) {
            buckets.values().removeIf(bucket -> bucket.full(now));
        }
        TokenBucket bucket = buckets.computeIfAbsent(policy + '|' + client,
                key -> new TokenBucket(limit.capacity(), limit.period().toNanos(), now));
        TokenBucket.Verdict verdict = bucket.take(now);
        response.putHeader("RateLimit-Limit", String.valueOf(verdict.limit()))
                .putHeader("RateLimit-Remaining", String.valueOf(verdict.remaining()))
                .putHeader("RateLimit-Reset", String.valueOf(verdict.resetSeconds()))
                .putHeader("RateLimit-Policy", limit.capacity() + ";w=" + limit.period().toSeconds());
        if (!verdict.allowed()) {
            response.putHeader("Retry-After", String.valueOf(verdict.retryAfterSeconds()));
            registry.counter("omni.gateway.rate-limited", "policy", policy).increment();
        }
        return verdict.allowed();
    }
}
