package dev.omni.gateway.route;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an {@code X-Request-Id} before anything else runs (so even a 401 carries one): the client's
 * when it is a sane token, a new UUID otherwise. It is set on the request (the proxy and the gateway's own calls
 * pass it on), on the response, and in the log MDC as {@code requestId}.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    /** Before CORS (300), authentication (200) and authorisation (100), which Quarkus runs at minus their priority. */
    static final int ORDER = -400;
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::assign);
    }

    void assign(RoutingContext rc) {
        String offered = rc.request().getHeader(HEADER);
        String id = offered != null && ACCEPTABLE.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        rc.request().headers().set(HEADER, id);
        rc.response().putHeader(HEADER, id);
        MDC.put("requestId", id);
        rc.next();
    }

    public static String of(RoutingContext rc) {
        return rc.request().getHeader(HEADER);
    }
}
