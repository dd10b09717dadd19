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
public record Route(Set<String> methods, PathPattern path, Optional<Upstream> upstream, Access access,
        String summary) {

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

    /** The upstream path for a request on this route: the customer's profile replaces {@code /api/me}. */
    public String upstreamPath(String requestPath, String customerProfileId) {
        if (access.customers() == CustomerAccess.SELF && requestPath.startsWith(ME)) {
            return "/api/profiles/" + customerProfileId + requestPath.substring(ME.length());
        }
        return requestPath;
    }

    public static final class Builder {
        private final Set<String> methods;
        private final PathPattern path;
        private Optional<Upstream> upstream = Optional.empty();
        private String summary = "";

        private Builder(Set<String> methods, PathPattern path) {
            this.methods = methods;
            this.path = path;
        }

        public Builder to(Upstream target) {
            this.upstream = Optional.of(target);
            return this;
        }

        public Builder summary(String text) {
            this.summary = text;
            return this;
        }

        public Route open() {
            return new Route(methods, path, upstream, Access.anyone(), summary);
        }

        /** Client tokens with one of {@code scopes}; customer tokens only as {@code customers} says. */
        public Route allow(CustomerAccess customers, String... scopes) {
            return new Route(methods, path, upstream, Access.scopes(Set.of(scopes), customers), summary);
        }
    }
}
