package dev.omni.console.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Clock;
import java.time.Instant;

/**
 * The console's own access token for the gateway (client credentials of the console's client, scope {@code admin}).
 * Users' tokens never carry that scope: what a user may do is decided by the console's role checks.
 */
@ApplicationScoped
public class ServiceToken {

    private final TokenEndpoint endpoint;
    private final ConsoleConfig config;
    private final String clientId;
    private final String secret;
    private final Clock clock = Clock.systemUTC();
    private String token;
    private Instant renewAt = Instant.MIN;

    ServiceToken(@RestClient TokenEndpoint endpoint, ConsoleConfig config,
            @ConfigProperty(name = "quarkus.oidc.client-id") String clientId,
            @ConfigProperty(name = "quarkus.oidc.credentials.secret") String secret) {
        this.endpoint = endpoint;
        this.config = config;
        this.clientId = clientId;
        this.secret = secret;
    }

    /** {@code Bearer …}, fetched again shortly before it expires. */
    public synchronized String bearer() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(renewAt)) {
            JsonNode answer;
            try {
                answer = endpoint.clientCredentials("client_credentials", clientId, secret,
                        config.serviceAccount().scope());
            } catch (ProcessingException e) {
                throw GatewayException.unreachable(e);
            }
            token = answer.path("access_token").asText();
            renewAt = now.plusSeconds(answer.path("expires_in").asLong(60))
                    .minus(config.serviceAccount().renewBefore());
        }
        return "Bearer " + token;
    }
}
