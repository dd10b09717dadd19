package dev.omni.platform.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Whether a service checks the bearer token on its {@code /api} paths itself (defence in depth behind the gateway).
 * Environment: {@code OMNI_AUTH_ENABLED}. The token rules (realm keys, issuer, audience) are {@code quarkus.oidc.*}.
 */
@ConfigMapping(prefix = "omni.auth")
public interface ApiAuthConfig {

    /** Off by default (tests, a service run on its own); on in {@code ./omni up} and in Kubernetes. */
    @WithDefault("false")
    boolean enabled();
}
