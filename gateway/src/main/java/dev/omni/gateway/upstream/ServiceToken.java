package dev.omni.gateway.upstream;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.runtime.TokensHelper;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.Optional;

/**
 * The gateway's own bearer token, for calls to the services that carry no caller's token: public routes (tracking
 * links, provider webhooks) and the Segment API (write keys, not tokens). The services validate every {@code /api}
 * token again, so these calls need one of realm omni too. It is a client-credentials token of the client
 * {@code omni-gateway-service}, fetched by quarkus-oidc-client ({@code quarkus.oidc-client.*}), kept and refreshed
 * before it expires. Switch: {@code omni.gateway.service-token.enabled} (on where the services check tokens).
 */
@ApplicationScoped
public class ServiceToken {

    @ConfigMapping(prefix = "omni.gateway.service-token")
    public interface Config {
        /** {@code OMNI_GATEWAY_SERVICE_TOKEN_ENABLED}; without it such calls go without a token, as before. */
        @WithDefault("false")
        boolean enabled();
    }

    private final boolean enabled;
    private final Instance<OidcClient> client;
    private final TokensHelper tokens = new TokensHelper();

    public ServiceToken(Config config, Instance<OidcClient> client) {
        this.enabled = config.enabled();
        this.client = client;
    }

    public boolean enabled() {
        return enabled;
    }

    /** {@code Bearer <token>} of the gateway itself, or empty when the switch is off. */
    public Uni<Optional<String>> authorization() {
        if (!enabled) {
            return Uni.createFrom().item(Optional.empty());
        }
        return tokens.getTokens(client.get()).map(t -> Optional.of("Bearer " + t.getAccessToken()));
    }
}
