package dev.omni.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketAllowsItsCapacityThenRefusesUntilATokenIsBack() {
        TokenBucket bucket = new TokenBucket(3, 6 * SECOND, 0);
        assertThat(bucket.take(0).remaining()).isEqualTo(2);
        assertThat(bucket.take(0).remaining()).isEqualTo(1);
        TokenBucket.Verdict last = bucket.take(0);
        assertThat(last.allowed()).isTrue();
        assertThat(last.remaining()).isZero();
        assertThat(last.resetSeconds()).isEqualTo(6);

        TokenBucket.Verdict refused = bucket.take(SECOND);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);

        assertThat(bucket.take(2 * SECOND).allowed()).isTrue();
        assertThat(bucket.take(2 * SECOND).allowed()).isFalse();
    }

    @Test
    void refillNeverExceedsTheCapacity() {
        TokenBucket bucket = new TokenBucket(3, 6 * SECOND, 0);
        bucket.take(0);
        assertThat(bucket.take(3600 * SECOND).remaining()).isEqualTo(2);
        assertThat(bucket.full(7200 * SECOND)).isTrue();
    }
}
