package dev.omni.platform.auth;

import dev.omni.platform.problem.RouteProblems;
import io.quarkus.logging.Log;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * With {@code omni.auth.enabled}, every {@code /api} request needs a valid bearer token of realm omni, checked again
 * here although the gateway checked it already: quarkus-oidc validates signature (the realm's keys), issuer, expiry
 * and audience ({@code quarkus.oidc.*}); a request without a token, or with one it refuses, gets a 401 problem+json
 * with a {@code WWW-Authenticate} challenge. Scopes and object-level rules stay with the gateway. Paths outside
 * {@code /api} (health, metrics, OpenAPI, tracking links) are not touched.
 */
@ApplicationScoped
public class ApiTokenGate {

    /** After Quarkus' authentication (-200) and authorisation (-100), before the REST endpoints. */
    static final int ORDER = -50;
    static final String CHALLENGE = "Bearer realm=\"omni\"";

    private final boolean enabled;

    public ApiTokenGate(ApiAuthConfig config) {
        this.enabled = config.enabled();
    }

    void register(@Observes Router router) {
        if (!enabled) {
            return;
        }
        router.route("/api/*").order(ORDER).handler(this::check);
        router.route("/api/*").failureHandler(this::failed);
    }

    void check(RoutingContext rc) {
        QuarkusHttpUser user = (QuarkusHttpUser) rc.user();
        if (user == null || user.getSecurityIdentity().isAnonymous()) {
            rc.response().putHeader("WWW-Authenticate", CHALLENGE);
            RouteProblems.end(rc, 401, "a bearer token of realm omni is required");
            return;
        }
        rc.next();
    }

    void failed(RoutingContext rc) {
        Throwable failure = rc.failure();
        if (causedBy(failure, OIDCException.class)) {
            Log.warnf("token not checked, the identity provider is unreachable: %s", failure.getMessage());
            rc.response().putHeader("Retry-After", "5");
            RouteProblems.end(rc, 503, "the identity provider cannot be reached to check the token; retry later");
        } else if (failure instanceof AuthenticationFailedException
                || failure instanceof AuthenticationCompletionException) {
            Log.debugf("token rejected: %s", failure.getCause() != null ? failure.getCause() : failure);
            rc.response().putHeader("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
            RouteProblems.end(rc, 401, "the bearer token is invalid: expired, not signed by realm omni, "
                    + "or not issued for the omni-gateway audience");
        } else {
            rc.next();
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
