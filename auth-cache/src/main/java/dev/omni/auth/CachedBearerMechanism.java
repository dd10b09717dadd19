package dev.omni.auth;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Asked before quarkus-oidc's bearer mechanism: a request whose {@code Authorization: Bearer} token quarkus-oidc has
 * verified before is answered with that identity straight away, without quarkus-oidc decoding the token's JSON again
 * to build its credential and without a round through the identity providers. Any other request — no token, a token
 * not seen verified, expired since, forged or altered (a different string) — gets nothing here and goes on to
 * quarkus-oidc exactly as without this class, which also answers every challenge.
 * <p>
 * It names no credential transport, so a path or annotation that selects the {@code bearer} mechanism by name gets
 * quarkus-oidc's (and {@link CachedTokenIdentityProvider} still spares that path the signature check).
 */
@ApplicationScoped
public class CachedBearerMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    private final VerifiedTokens tokens;

    public CachedBearerMechanism(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        return Uni.createFrom().item(identity(context.request().getHeader(HttpHeaders.AUTHORIZATION), context));
    }

    /** The remembered identity of the header's bearer token, with this request's routing context; else null. */
    SecurityIdentity identity(String authorization, RoutingContext context) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return tokens.recall(authorization.substring(BEARER.length()).trim(), context).orElse(null);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public int getPriority() {
        // mechanisms are tried highest first; quarkus-oidc's answers with 1001
        return DEFAULT_PRIORITY + 1000;
    }
}
