package dev.omni.gateway.route;

import dev.omni.gateway.problem.ProblemResponse;
import io.quarkus.logging.Log;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A bearer token quarkus-oidc rejects (bad signature, expired, wrong issuer or audience) is a 401 problem+json with a
 * {@code WWW-Authenticate} challenge, like every other error of the gateway, instead of Quarkus' empty 401. When the
 * token cannot be checked because Keycloak is unreachable, the client is told to retry (503), not that it failed.
 */
@ApplicationScoped
public class AuthenticationFailures {

    static final long RETRY_AFTER_SECONDS = 5;

    void register(@Observes Router router) {
        router.route().failureHandler(this::handle);
    }

    void handle(RoutingContext rc) {
        Throwable failure = rc.failure();
        if (causedBy(failure, OIDCException.class)) {
            Log.warnf("token not checked, the identity provider is unreachable: %s", failure.getMessage());
            rc.response().putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            ProblemResponse.send(rc, 503, "the identity provider cannot be reached to check the token; retry later");
        } else if (failure instanceof AuthenticationFailedException
                || failure instanceof AuthenticationCompletionException) {
            Log.debugf("token rejected: %s", failure.getCause() != null ? failure.getCause() : failure);
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"omni\", error=\"invalid_token\"");
            ProblemResponse.send(rc, 401, "the bearer token is invalid: expired, not signed by realm omni, "
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
