package dev.omni.gateway.ratelimit;

/**
 * A token bucket: holds up to {@code capacity} tokens, refills continuously at {@code capacity} per period, and a
 * request takes one. Times are nanoseconds from a monotonic clock, passed in so tests need not sleep.
 */
final class TokenBucket {

    private final int capacity;
    private final double tokensPerNano;
    private double tokens;
    private long updatedAt;

    TokenBucket(int capacity, long periodNanos, long now) {
        this.capacity = capacity;
        this.tokensPerNano = (double) capacity / periodNanos;
        this.tokens = capacity;
        this.updatedAt = now;
    }

    synchronized Verdict take(long now) {
        refill(now);
        boolean allowed = tokens >= 1;
        if (allowed) {
            tokens -= 1;
        }
        long retryAfterNanos = allowed ? 0 : (long) Math.ceil((1 - tokens) / tokensPerNano);
        long fullInNanos = (long) Math.ceil((capacity - tokens) / tokensPerNano);
        return new Verdict(allowed, capacity, (int) Math.floor(tokens), seconds(fullInNanos),
                allowed ? 0 : Math.max(1, seconds(retryAfterNanos)));
    }

    synchronized boolean full(long now) {
        refill(now);
        return tokens >= capacity;
    }

    private void refill(long now) {
        long elapsed = Math.max(0, now - updatedAt);
        tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
        updatedAt = now;
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    /**
     * @param resetSeconds      until the bucket is full again
     * @param retryAfterSeconds until the next request would be allowed (0 when this one is)
     */
    record Verdict(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {
    }
}
