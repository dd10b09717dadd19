package dev.omni.auth;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CachedBearerMechanismTest {

    private static final String ROUTING_CONTEXT = RoutingContext.class.getName();
    private final long nowSeconds = System.currentTimeMillis() / 1000;
    private final VerifiedTokens tokens = new VerifiedTokens(true, 100, Duration.ofMinutes(5),
            System::currentTimeMillis);
    private final CachedBearerMechanism mechanism = new CachedBearerMechanism(tokens);

    @Test
    void aTokenSeenVerifiedIsAnsweredWithItsIdentityAndTheCurrentRequest() {
        String token = TestTokens.token("a");
        RoutingContext request = request("Bearer " + token);
        assertThat(authenticate(request)).as("not verified yet: quarkus-oidc's turn").isNull();

        tokens.remember(identity(token, nowSeconds + 60));
        SecurityIdentity identity = authenticate(request);
        assertThat(identity).isNotNull();
        assertThat(identity.getPrincipal().getName()).isEqualTo("alice");
        assertThat(identity.getRoles()).containsExactly("admin");
        assertThat(identity.getCredential(AccessTokenCredential.class).getToken()).isEqualTo(token);
        assertThat((Object) identity.getAttribute(ROUTING_CONTEXT)).isSameAs(request);
        assertThat(authenticate(request("bearer  " + token))).as("scheme in any case, spaces trimmed").isNotNull();
    }

    @Test
    void anythingElseIsLeftToQuarkusOidc() {
        String token = TestTokens.token("a");
        tokens.remember(identity(token, nowSeconds + 60));
        assertThat(authenticate(request(null))).isNull();
        assertThat(authenticate(request("Bearer "))).isNull();
        assertThat(authenticate(request("Basic " + token))).isNull();
        assertThat(authenticate(request("Bearer " + token + "x"))).as("altered").isNull();
        assertThat(authenticate(request("Bearer " + TestTokens.token("b")))).as("another token").isNull();

        String expired = TestTokens.token("expired");
        tokens.remember(identity(expired, nowSeconds));
        assertThat(authenticate(request("Bearer " + expired))).isNull();
    }

    @Test
    void itChallengesNothingNamesNoTransportAndGoesBeforeQuarkusOidc() {
        assertThat(mechanism.getChallenge(request(null)).await().indefinitely()).isNull();
        assertThat(mechanism.getCredentialTransport(request(null)).await().indefinitely()).isNull();
        // quarkus-oidc's bearer mechanism answers getPriority() with 1001
        assertThat(mechanism.getPriority()).isGreaterThan(HttpAuthenticationMechanism.DEFAULT_PRIORITY + 1);
    }

    private SecurityIdentity authenticate(RoutingContext request) {
        return mechanism.authenticate(request, null).await().indefinitely();
    }

    private static SecurityIdentity identity(String token, long exp) {
        JsonWebToken principal = TestTokens.principal("alice", exp);
        return QuarkusSecurityIdentity.builder().setPrincipal(principal).addCredential(new AccessTokenCredential(token))
                .addRole("admin").build();
    }

    /** A routing context whose request has only this Authorization header (or none). */
    private static RoutingContext request(String authorization) {
        HttpServerRequest request = (HttpServerRequest) Proxy.newProxyInstance(
                HttpServerRequest.class.getClassLoader(), new Class<?>[] {HttpServerRequest.class},
                (proxy, method, args) -> method.getName().equals("getHeader")
                        && "authorization".equalsIgnoreCase(String.valueOf(args[0])) ? authorization : null);
        return (RoutingContext) Proxy.newProxyInstance(RoutingContext.class.getClassLoader(),
                new Class<?>[] {RoutingContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "request" -> request;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "routing context " + System.identityHashCode(proxy);
                    default -> null;
                });
    }
}
