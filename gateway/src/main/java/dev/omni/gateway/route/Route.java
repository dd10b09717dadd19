package dev.omni.gateway.route;

import dev.omni.gateway.upstream.Upstream;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One line of the route table: methods and path, who may call it, and where it goes: to an upstream service (path
 * unchanged, or {@code /api/me...} rewritten to the customer's {@code /api/profiles/{id}...}) or to an endpoint of
 * the gateway itself ({@code upstream} empty).
 */
public record Route(Set<String> methods, PathPattern path, Optional<Upstream> upstream, String servicePrefix,
        Access access, String summary) {

    /** The path prefix of customer routes that the gateway rewrites to the customer's own profile. */
    public static final String ME = "/api/me";

    public static Builder of(String methods, String path) {
        return new Builder(Arrays.stream(methods.split(","))
                .map(m -> m.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()),
                PathPattern.of(path));
    }

    public boolean local() {
        return upstream.isEmpty();
    }

    public Optional<Map<String, String>> match(String method, String normalizedPath) {
        return methods.contains(method) ? path.match(normalizedPath) : Optional.empty();
    }

    /**
     * The upstream path for a request on this route: the customer's profile replaces {@code /api/me}; on a route
     * with a service prefix, that prefix replaces the route's literal prefix ({@code /api/attribution/reports/credit}
     * → {@code /api/reports/credit}).
     */
    public String upstreamPath(String requestPath, String customerProfileId) {
        if (access.customers() == CustomerAccess.SELF && requestPath.startsWith(ME)) {
            return "/api/profiles/" + customerProfileId + requestPath.substring(ME.length());
        }
        if (servicePrefix != null) {
            return servicePrefix + requestPath.substring(literalPrefix().length());
        }
        return requestPath;
    }

    /** The gateway path a service path is reachable at through this route's prefix rewrite, if any. */
    public Optional<String> gatewayPath(String servicePath) {
        if (servicePrefix == null || !(servicePath.startsWith(servicePrefix + "/") || servicePath.equals(servicePrefix))) {
            return Optional.empty();
        }
        return Optional.of(literalPrefix() + servicePath.substring(servicePrefix.length()));
    }

    private String literalPrefix() {
        return path.template().substring(0, path.template().length() - "/**".length());
    }

    public static final class Builder {
        private final Set<String> methods;
        private final PathPattern path;
        private Optional<Upstream> upstream = Optional.empty();
        private String servicePrefix;
        private String summary = "";
        private String ownerParameter;
        private Set<String> acrossOwners = Set.of();

        private Builder(Set<String> methods, PathPattern path) {
            this.methods = methods;
            this.path = path;
        }

        public Builder to(Upstream target) {
            this.upstream = Optional.of(target);
            return this;
        }

        /**
         * To {@code target} with the route's literal prefix (the template before {@code /**}) replaced by
         * {@code prefix}: for services whose paths would clash or read badly at the gateway.
         */
        public Builder to(Upstream target, String prefix) {
            if (!path.hasTail()) {
                throw new IllegalArgumentException("a prefix rewrite needs a template ending in /**: " + path);
            }
            this.upstream = Optional.of(target);
            this.servicePrefix = prefix;
            return this;
        }

        public Builder summary(String text) {
            this.summary = text;
            return this;
        }

        /**
         * A listing whose owner is named by the query parameter {@code parameter}: a customer must name exactly their
         * own profile, and only clients with one of {@code acrossOwnersScopes} may leave it out.
         */
        public Builder ownerInQuery(String parameter, String... acrossOwnersScopes) {
            this.ownerParameter = parameter;
            this.acrossOwners = Set.of(acrossOwnersScopes);
            return this;
        }

        public Route open() {
            return new Route(methods, path, upstream, servicePrefix, Access.anyone(), summary);
        }

        /** Client tokens with one of {@code scopes}; customer tokens only as {@code customers} says. */
        public Route allow(CustomerAccess customers, String... scopes) {
            Access access = Access.scopes(Set.of(scopes), customers);
            return new Route(methods, path, upstream, servicePrefix,
                    ownerParameter == null ? access : access.ownedByQuery(ownerParameter, acrossOwners), summary);
        }
    }
}
