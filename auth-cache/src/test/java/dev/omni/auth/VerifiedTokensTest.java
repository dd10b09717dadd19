package dev.omni.auth;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
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
        assertThat(tokens.recall(TestTokens.token("a"), second)).isEmpty();

        tokens.remember(identity(TestTokens.token("a"), "alice", secondsFromNow(60), first));

        SecurityIdentity recalled = tokens.recall(TestTokens.token("a"), second).orElseThrow();
        assertThat(recalled.getPrincipal().getName()).isEqualTo("alice");
        assertThat(recalled.getRoles()).containsExactly("admin");
        assertThat(recalled.getCredential(AccessTokenCredential.class).getToken()).isEqualTo(TestTokens.token("a"));
        assertThat(recalled.<Object>getAttribute(ROUTING_CONTEXT)).isSameAs(second);
        // another token, however alike, is not this one
        assertThat(tokens.recall(TestTokens.token("a") + " ", second)).isEmpty();
        assertThat(tokens.recall(TestTokens.token("b"), second)).isEmpty();
    }

    @Test
    void aTokenIsForgottenWhenItExpires() {
        tokens.remember(identity(TestTokens.token("a"), "alice", secondsFromNow(30), routingContext()));
        now.addAndGet(29_000);
        assertThat(tokens.recall(TestTokens.token("a"), routingContext())).isPresent();
        now.addAndGet(1_000);
        assertThat(tokens.recall(TestTokens.token("a"), routingContext())).isEmpty();
    }

    @Test
    void aTokenIsForgottenAfterMaxAgeEvenWhenItLivesLonger() {
        tokens.remember(identity(TestTokens.token("a"), "alice", secondsFromNow(3_600), routingContext()));
        now.addAndGet(Duration.ofMinutes(5).toMillis() - 1);
        assertThat(tokens.recall(TestTokens.token("a"), routingContext())).isPresent();
        now.addAndGet(1);
        assertThat(tokens.recall(TestTokens.token("a"), routingContext())).isEmpty();
    }

    @Test
    void anExpiredOpaqueOrAnonymousIdentityIsNotRemembered() {
        tokens.remember(identity(TestTokens.token("expired"), "alice", secondsFromNow(0), routingContext()));
        tokens.remember(QuarkusSecurityIdentity.builder().setPrincipal(TestTokens.principal("bob", secondsFromNow(60)))
                .addCredential(new AccessTokenCredential("opaque") {
                    @Override
                    public boolean isOpaque() {
                        return true;
                    }
                }).build());
        tokens.remember(QuarkusSecurityIdentity.builder().setAnonymous(true).build());
        tokens.remember(QuarkusSecurityIdentity.builder().setPrincipal(() -> "no-jwt")
                .addCredential(new AccessTokenCredential(TestTokens.token("plain"))).build());
        assertThat(tokens.recall(TestTokens.token("expired"), routingContext())).isEmpty();
        assertThat(tokens.recall("opaque", routingContext())).isEmpty();
        assertThat(tokens.recall(TestTokens.token("plain"), routingContext())).isEmpty();
        assertThat(tokens.size()).isZero();
    }

    @Test
    void theFirstIdentityStaysWhenARecalledOneComesBackThroughTheAugmentors() {
        RoutingContext first = routingContext();
        tokens.remember(identity(TestTokens.token("a"), "alice", secondsFromNow(60), first));
        RoutingContext second = routingContext();
        SecurityIdentity recalled = tokens.recall(TestTokens.token("a"), second).orElseThrow();
        tokens.remember(recalled);
        RoutingContext third = routingContext();
        assertThat(tokens.recall(TestTokens.token("a"), third).orElseThrow().<Object>getAttribute(ROUTING_CONTEXT)).isSameAs(third);
        assertThat(tokens.size()).isEqualTo(1);
    }

    @Test
    void theCacheIsBounded() {
        for (int i = 0; i < 1_000; i++) {
            tokens.remember(identity(TestTokens.token("n" + i), "user-" + i, secondsFromNow(60), routingContext()));
        }
        assertThat(tokens.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void switchedOffItRemembersNothing() {
        VerifiedTokens off = new VerifiedTokens(false, 100, Duration.ofMinutes(5), now::get);
        off.remember(identity(TestTokens.token("a"), "alice", secondsFromNow(60), routingContext()));
        assertThat(off.recall(TestTokens.token("a"), routingContext())).isEmpty();
    }

    private long secondsFromNow(long seconds) {
        return now.get() / 1000 + seconds;
    }

    private static SecurityIdentity identity(String token, String name, long exp, RoutingContext rc) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(TestTokens.principal(name, exp))
                .addCredential(new AccessTokenCredential(token))
                .addRole("admin")
                .addAttribute(VerifiedTokens.EXPIRE_TIME, exp)
                .addAttribute(ROUTING_CONTEXT, rc)
                .build();
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
