package dev.omni.auth;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedTokensTest {

    private static final String ROUTING_CONTEXT = RoutingContext.class.getName();
    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final VerifiedTokens tokens = new VerifiedTokens(true, 100, Duration.ofMinutes(5), now::get);

    @Test
    void aVerifiedTokenIsRecalledWithTheCurrentRequestsRoutingContext() {
        RoutingContext first = routingContext();
        RoutingContext second = routingContext();
        assertThat(tokens.recall(jwt("a"), second)).isEmpty();

        tokens.remember(identity(jwt("a"), "alice", secondsFromNow(60), first));

        SecurityIdentity recalled = tokens.recall(jwt("a"), second).orElseThrow();
        assertThat(recalled.getPrincipal().getName()).isEqualTo("alice");
        assertThat(recalled.getRoles()).containsExactly("admin");
        assertThat(recalled.getCredential(AccessTokenCredential.class).getToken()).isEqualTo(jwt("a"));
        assertThat(recalled.<Object>getAttribute(ROUTING_CONTEXT)).isSameAs(second);
        // another token, however alike, is not this one
        assertThat(tokens.recall(jwt("a") + " ", second)).isEmpty();
        assertThat(tokens.recall(jwt("b"), second)).isEmpty();
    }

    @Test
    void aTokenIsForgottenWhenItExpires() {
        tokens.remember(identity(jwt("a"), "alice", secondsFromNow(30), routingContext()));
        now.addAndGet(29_000);
        assertThat(tokens.recall(jwt("a"), routingContext())).isPresent();
        now.addAndGet(1_000);
        assertThat(tokens.recall(jwt("a"), routingContext())).isEmpty();
    }

    @Test
    void aTokenIsForgottenAfterMaxAgeEvenWhenItLivesLonger() {
        tokens.remember(identity(jwt("a"), "alice", secondsFromNow(3_600), routingContext()));
        now.addAndGet(Duration.ofMinutes(5).toMillis() - 1);
        assertThat(tokens.recall(jwt("a"), routingContext())).isPresent();
        now.addAndGet(1);
        assertThat(tokens.recall(jwt("a"), routingContext())).isEmpty();
    }

    @Test
    void anExpiredOpaqueOrAnonymousIdentityIsNotRemembered() {
        tokens.remember(identity(jwt("expired"), "alice", secondsFromNow(0), routingContext()));
        tokens.remember(QuarkusSecurityIdentity.builder().setPrincipal(jwt("bob", secondsFromNow(60)))
                .addCredential(new AccessTokenCredential("opaque") {
                    @Override
                    public boolean isOpaque() {
                        return true;
                    }
                }).build());
        tokens.remember(QuarkusSecurityIdentity.builder().setAnonymous(true).build());
        tokens.remember(QuarkusSecurityIdentity.builder().setPrincipal(() -> "no-jwt")
                .addCredential(new AccessTokenCredential(jwt("plain"))).build());
        assertThat(tokens.recall(jwt("expired"), routingContext())).isEmpty();
        assertThat(tokens.recall("opaque", routingContext())).isEmpty();
        assertThat(tokens.recall(jwt("plain"), routingContext())).isEmpty();
        assertThat(tokens.size()).isZero();
    }

    @Test
    void theFirstIdentityStaysWhenARecalledOneComesBackThroughTheAugmentors() {
        RoutingContext first = routingContext();
        tokens.remember(identity(jwt("a"), "alice", secondsFromNow(60), first));
        RoutingContext second = routingContext();
        SecurityIdentity recalled = tokens.recall(jwt("a"), second).orElseThrow();
        tokens.remember(recalled);
        RoutingContext third = routingContext();
        assertThat(tokens.recall(jwt("a"), third).orElseThrow().<Object>getAttribute(ROUTING_CONTEXT)).isSameAs(third);
        assertThat(tokens.size()).isEqualTo(1);
    }

    @Test
    void theCacheIsBounded() {
        for (int i = 0; i < 1_000; i++) {
            tokens.remember(identity(jwt("n" + i), "user-" + i, secondsFromNow(60), routingContext()));
        }
        assertThat(tokens.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void switchedOffItRemembersNothing() {
        VerifiedTokens off = new VerifiedTokens(false, 100, Duration.ofMinutes(5), now::get);
        off.remember(identity(jwt("a"), "alice", secondsFromNow(60), routingContext()));
        assertThat(off.recall(jwt("a"), routingContext())).isEmpty();
    }

    /** A token of JWT shape (header.payload.signature): AccessTokenCredential calls anything else opaque. */
    private static String jwt(String id) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{\"jti\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    private long secondsFromNow(long seconds) {
        return now.get() / 1000 + seconds;
    }

    private static SecurityIdentity identity(String token, String name, long exp, RoutingContext rc) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(jwt(name, exp))
                .addCredential(new AccessTokenCredential(token))
                .addRole("admin")
                .addAttribute(VerifiedTokens.EXPIRE_TIME, exp)
                .addAttribute(ROUTING_CONTEXT, rc)
                .build();
    }

    private static JsonWebToken jwt(String name, long exp) {
        Map<String, Object> claims = Map.of("sub", name, "exp", exp);
        return new JsonWebToken() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claimName) {
                return (T) claims.get(claimName);
            }
        };
    }

    /** A routing context that only answers {@code get} (with nothing): all the cache asks of one. */
    private static RoutingContext routingContext() {
        return (RoutingContext) Proxy.newProxyInstance(RoutingContext.class.getClassLoader(),
                new Class<?>[] {RoutingContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "routing context " + System.identityHashCode(proxy);
                    default -> null;
                });
    }
}
