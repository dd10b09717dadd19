package dev.omni.gateway.route;

import dev.omni.gateway.caller.Caller;
import dev.omni.gateway.caller.CustomerDirectory;
import dev.omni.gateway.caller.CustomersConfig;
import dev.omni.gateway.problem.ProblemResponse;
import dev.omni.gateway.ratelimit.RateLimiter;
import dev.omni.gateway.route.RouteTable.RouteMatch;
import dev.omni.gateway.upstream.UpstreamException;
import dev.omni.gateway.upstream.UpstreamProxy;
import dev.omni.gateway.upstream.UpstreamsConfig;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Every {@code /api} request passes here after Quarkus validated its token: the route table says who may call it;
 * customers are checked against the profile they own; then the client's rate limit, the body size, and on to the
 * service (proxied) or to the gateway's own endpoint.
 */
@ApplicationScoped
public class ApiGate {

    /** After authentication (-200) and Quarkus' authorisation (-100), before the REST endpoints. */
    static final int ORDER = -50;
    private static final String PUBLIC_POLICY = "public";
    private static final String CUSTOMER_POLICY = "customer";
    /** Micrometer's key for the route template, so proxied paths do not each become a metric. */
    private static final String URL_TEMPLATE = "UrlPathTemplate";
    private static final int MAX_QUERY_PARAMETERS = 1024;

    private final RouteTable table = RouteTable.OMNI;
    private final CustomerDirectory directory;
    private final CustomersConfig customers;
    private final RateLimiter rateLimiter;
    private final UpstreamProxy proxy;
    private final long maxBodySize;

    public ApiGate(CustomerDirectory directory, CustomersConfig customers, RateLimiter rateLimiter,
            UpstreamProxy proxy, UpstreamsConfig config) {
        this.directory = directory;
        this.customers = customers;
        this.rateLimiter = rateLimiter;
        this.proxy = proxy;
        this.maxBodySize = config.maxBodySize().asLongValue();
    }

    void register(@Observes Router router) {
        router.route("/api/*").order(ORDER).handler(this::gate);
    }

    void gate(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        request.pause();
        String rawPath = request.path().toLowerCase(Locale.ROOT);
        if (rawPath.contains("%2f") || rawPath.contains("%5c")) {
            // a service could decode these into separators and see another path than the one checked here
            ProblemResponse.send(rc, 400, "encoded / or \\ is not allowed in a path");
            return;
        }
        String path = rc.normalizedPath();
        Optional<RouteMatch> found = table.match(request.method().name(), path);
        if (found.isEmpty()) {
            Set<String> allowed = table.methodsFor(path);
            if (allowed.isEmpty()) {
                ProblemResponse.send(rc, 404, "no API at " + path);
            } else {
                rc.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
                ProblemResponse.send(rc, 405, request.method() + " is not allowed on " + path);
            }
            return;
        }
        RouteMatch match = found.get();
        if (tooLarge(request)) {
            ProblemResponse.tooLarge(rc, maxBodySize);
            return;
        }
        if (match.route().access().open()) {
            String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
            admit(rc, match, PUBLIC_POLICY, address, null);
            return;
        }
        QuarkusHttpUser.getSecurityIdentity(rc, null).subscribe().with(
                identity -> authorise(rc, match, identity),
                failure -> rc.fail(failure));
    }

    private void authorise(RoutingContext rc, RouteMatch match, SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"omni\"");
            ProblemResponse.send(rc, 401, "a bearer token of realm omni is required");
            return;
        }
        Caller caller = Caller.of(identity, customers);
        Access access = match.route().access();
        if (!caller.customer()) {
            Optional<String> granting = new TreeSet<>(access.scopes()).stream().filter(caller.scopes()::contains)
                    .findFirst();
            if (granting.isEmpty()) {
                ProblemResponse.send(rc, 403, "this API needs one of the scopes " + new TreeSet<>(access.scopes())
                        + "; the token of " + caller.clientId() + " has " + new TreeSet<>(caller.scopes()));
                return;
            }
            if (access.ownerParameter() != null && !namesOwner(rc, access)
                    && access.acrossOwners().stream().noneMatch(caller.scopes()::contains)) {
                ProblemResponse.send(rc, 403, "without " + access.ownerParameter() + " this API lists across "
                        + "customers, which needs one of the scopes " + new TreeSet<>(access.acrossOwners()));
                return;
            }
            admit(rc, match, granting.get(), caller.clientId(), null);
            return;
        }
        String customerKey = caller.clientId() + '|' + caller.subject();
        CustomerAccess rule = access.customers();
        if (rule == CustomerAccess.NONE) {
            ProblemResponse.send(rc, 403, "this API is not open to customer logins");
        } else if (rule == CustomerAccess.ANY || (rule == CustomerAccess.SELF && match.route().local())) {
            // the gateway's own /api/me endpoints look the profile up themselves
            admit(rc, match, CUSTOMER_POLICY, customerKey, null);
        } else {
            withOwnProfile(rc, caller, rule, profileId -> {
                if (rule == CustomerAccess.OWNER && !profileId.equals(claimedOwner(rc, match))) {
                    ProblemResponse.send(rc, 403, "a customer may only use their own profile");
                } else {
                    admit(rc, match, CUSTOMER_POLICY, customerKey, profileId);
                }
            });
        }
    }

    /**
     * The profile a customer's request is about: the path's, or the value of the route's owner parameter when the
     * query names it unambiguously, whichever way a service reads queries (its framework might match names ignoring
     * case or split at {@code ;}): no {@code ;}, no other spelling of the name, exactly one value.
     */
    private static String claimedOwner(RoutingContext rc, RouteMatch match) {
        Access access = match.route().access();
        if (access.ownerParameter() == null) {
            return match.params().get("profileId");
        }
        String query = rc.request().query();
        if (query == null || query.indexOf(';') >= 0
                || query.chars().filter(c -> c == '&').count() >= MAX_QUERY_PARAMETERS) {
            return null;
        }
        String owner = null;
        for (Map.Entry<String, List<String>> parameter : decode(query).entrySet()) {
            if (parameter.getKey().equalsIgnoreCase(access.ownerParameter())) {
                if (owner != null || !parameter.getKey().equals(access.ownerParameter())
                        || parameter.getValue().size() != 1) {
                    return null;
                }
                owner = parameter.getValue().get(0);
            }
        }
        return owner;
    }

    /** Whether a client's request names an owner at all (a non-blank value of the route's owner parameter). */
    private static boolean namesOwner(RoutingContext rc, Access access) {
        String query = rc.request().query();
        return query != null && decode(query).getOrDefault(access.ownerParameter(), List.of()).stream()
                .anyMatch(value -> !value.isBlank());
    }

    private static Map<String, List<String>> decode(String query) {
        return new QueryStringDecoder(query, StandardCharsets.UTF_8, false, MAX_QUERY_PARAMETERS, true).parameters();
    }

    private void withOwnProfile(RoutingContext rc, Caller caller, CustomerAccess rule, Consumer<String> then) {
        Context context = Vertx.currentContext();
        directory.profileIdOf(caller, RequestIds.of(rc))
                .emitOn(task -> context.runOnContext(ignored -> task.run()))
                .subscribe().with(
                        profileId -> profileId.ifPresentOrElse(then, () -> ProblemResponse.send(rc,
                                rule == CustomerAccess.SELF ? 404 : 403,
                                "no profile is linked to this login (none has its verified e-mail address)")),
                        failure -> {
                            UpstreamException problem = failure instanceof UpstreamException known ? known
                                    : new UpstreamException(null, 502, "the customer's profile could not be looked up",
                                            0, failure);
                            if (problem.retryAfterSeconds() > 0) {
                                rc.response().putHeader("Retry-After", String.valueOf(problem.retryAfterSeconds()));
                            }
                            ProblemResponse.send(rc, problem.status(), problem.getMessage());
                        });
    }

    private void admit(RoutingContext rc, RouteMatch match, String policy, String client, String profileId) {
        if (!rateLimiter.admit(policy, client, rc.response())) {
            ProblemResponse.send(rc, 429, "rate limit of " + client + " for " + policy + " reached",
                    Map.of("policy", policy));
            return;
        }
        Route route = match.route();
        if (route.local()) {
            rc.next();
            return;
        }
        Vertx.currentContext().putLocal(URL_TEMPLATE, route.path().template());
        String upstreamPath = route.upstreamPath(rc.normalizedPath(), profileId);
        if (route.access().open()) {
            proxy.forwardAsGateway(rc, route.upstream().orElseThrow(), upstreamPath);
        } else {
            proxy.forward(rc, route.upstream().orElseThrow(), upstreamPath);
        }
    }

    private boolean tooLarge(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return false;
        }
        try {
            return Long.parseLong(length.trim()) > maxBodySize;
        } catch (NumberFormatException e) {
            return false; // Vert.x's HTTP codec has already refused it
        }
    }
}
