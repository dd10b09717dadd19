package dev.omni.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The verified-token cache ({@link VerifiedTokens}). Environment: {@code OMNI_TOKEN_CACHE_ENABLED},
 * {@code OMNI_TOKEN_CACHE_MAX_SIZE}, {@code OMNI_TOKEN_CACHE_MAX_AGE}.
 */
@ConfigMapping(prefix = "omni.token-cache")
public interface TokenCacheConfig {

    /** Off: every request's token is parsed and its signature checked again, as quarkus-oidc does on its own. */
    @WithDefault("true")
    boolean enabled();

    /** Tokens remembered at most; the least used go first. */
    @WithDefault("10000")
    int maxSize();

    /**
     * How long a verified token is remembered at most, even when it expires later: the bound on how long a token
     * signed with a key the realm has since withdrawn keeps working. A token is never remembered past its own expiry.
     */
    @WithDefault("5M")
    Duration maxAge();
}
