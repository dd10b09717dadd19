package dev.omni.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The bearer tokens quarkus-oidc has verified (signature by the realm's keys, issuer, audience, expiry), each with the
 * identity it produced, until the token expires or {@code omni.token-cache.max-age} passes, whichever comes first.
 * A token that calls again is then not parsed and its signature not checked again: that work was the largest single
 * cost of a small request (about a sixth of a service's CPU under load, measured with JFR). Only JWT access tokens
 * are remembered, keyed by the whole token, so a different, forged or altered token never matches; what quarkus-oidc
 * refuses is never remembered. The per-request parts of an identity (the request's routing context) are the current
 * request's on every hit ({@link #recall}).
 */
@ApplicationScoped
public class VerifiedTokens {

    /** quarkus-oidc's attribute on its identities: the token's {@code exp}, in epoch seconds. */
    static final String EXPIRE_TIME = "quarkus.identity.expire-time";
    private static final String BLOCKING_API = AuthenticationRequestContext.class.getName();
    private static final String ROUTING_CONTEXT = RoutingContext.class.getName();

    private record Remembered(SecurityIdentity identity, long expiresAtMillis) {
    }

    private final boolean enabled;
    private final long maxAgeMillis;
    private final LongSupplier clock;
    private final Cache<String, Remembered> cache;

    @Inject
    public VerifiedTokens(TokenCacheConfig config) {
        this(config.enabled(), config.maxSize(), config.maxAge(), System::currentTimeMillis);
    }

    VerifiedTokens(boolean enabled, int maxSize, Duration maxAge, LongSupplier clock) {
        this.enabled = enabled;
        this.maxAgeMillis = maxAge.toMillis();
        this.clock = clock;
        // recall() checks expiry itself; the cache's own expiry, on the same clock, is what frees the memory
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .ticker(ticker(clock))
                .expireAfter(Expiry.creating((String token, Remembered entry) ->
                        Duration.ofMillis(Math.max(0, entry.expiresAtMillis() - clock.getAsLong()))))
                .build();
    }

    /** The clock as the cache's ticker: nanoseconds since now (epoch milliseconds in nanoseconds overflow a long). */
    private static Ticker ticker(LongSupplier clock) {
        long start = clock.getAsLong();
        return () -> TimeUnit.MILLISECONDS.toNanos(clock.getAsLong() - start);
    }

    /** Remembers a token quarkus-oidc has just verified (a JWT access token that has not expired), else nothing. */
    public void remember(SecurityIdentity identity) {
        if (!enabled || identity == null || identity.isAnonymous()) {
            return;
        }
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        if (credential == null || credential.isOpaque() || credential.getToken() == null
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return;
        }
        long now = clock.getAsLong();
        long expiresAt = Math.min(TimeUnit.SECONDS.toMillis(jwt.getExpirationTime()), now + maxAgeMillis);
        if (expiresAt > now) {
            // kept without the request it arrived with (recall adds the current one); a recalled identity coming
            // back through the augmentors leaves the first entry as it is, and is not copied again
            cache.get(credential.getToken(), token -> new Remembered(QuarkusSecurityIdentity.builder(identity)
                    .addAttribute(ROUTING_CONTEXT, null).addAttribute(BLOCKING_API, null).build(), expiresAt));
        }
    }

    /**
     * The identity of a token verified before, if it has not expired since, carrying the routing context of the
     * request that presents it now.
     */
    public Optional<SecurityIdentity> recall(String token, RoutingContext current) {
        if (!enabled || token == null) {
            return Optional.empty();
        }
        Remembered entry = cache.getIfPresent(token);
        if (entry == null || entry.expiresAtMillis() <= clock.getAsLong()) {
            return Optional.empty();
        }
        if (current == null) {
            return Optional.of(entry.identity());
        }
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(entry.identity())
                .addAttribute(ROUTING_CONTEXT, current);
        Object blockingApi = current.get(BLOCKING_API);
        if (blockingApi != null) {
            builder.addAttribute(BLOCKING_API, blockingApi);
        }
        return Optional.of(builder.build());
    }

    /** Tokens remembered now (an estimate while evictions are pending). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
