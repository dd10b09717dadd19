package dev.omni.gateway.route;


import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static dev.omni.gateway.route.CustomerAccess.ANY;
import static dev.omni.gateway.route.CustomerAccess.NONE;
import static dev.omni.gateway.route.CustomerAccess.OWNER;
import static dev.omni.gateway.route.CustomerAccess.SELF;
import static dev.omni.gateway.route.Scopes.ADMIN;
import static dev.omni.gateway.route.Scopes.ATTRIBUTION_READ;
import static dev.omni.gateway.route.Scopes.AUDIENCES_READ;
import static dev.omni.gateway.route.Scopes.EVENTS_WRITE;
import static dev.omni.gateway.route.Scopes.FEEDS_READ;
import static dev.omni.gateway.route.Scopes.INVENTORY_READ;
import static dev.omni.gateway.route.Scopes.STOCK_WRITE;
import static dev.omni.gateway.route.Scopes.STOREFRONT;
import static dev.omni.gateway.upstream.Upstream.ATTRIBUTION;
import static dev.omni.gateway.upstream.Upstream.INVENTORY;
import static dev.omni.gateway.upstream.Upstream.MESSAGING;
import static dev.omni.gateway.upstream.Upstream.PROFILE;

/**
 * Every path the gateway answers under {@code /api}, who may call it and where it goes. The first matching line
 * wins; a path on no line is a 404, so nothing reaches a service that is not listed here. The README's routes table
 * is this list.
 */
public final class RouteTable {

    private static final String READ = "GET,HEAD";
    private static final String WRITE = "POST,PUT,PATCH,DELETE";
    private static final String ALL = "GET,HEAD,POST,PUT,PATCH,DELETE";

    public static final RouteTable OMNI = new RouteTable(List.of(
            // partners
            Route.of("POST", "/api/partners/stock-movements").summary("stock movements from POS and WMS, to Kafka")
                    .allow(NONE, STOCK_WRITE),
            Route.of(READ, "/api/partners/audiences/{segmentId}")
                    .summary("retargeting audience: hashed e-mail and phone of a segment's members with advertising "
                            + "consent, with their last-viewed and in-cart product ids")
                    .allow(NONE, AUDIENCES_READ, ADMIN),
            Route.of(READ, "/api/partners/product-feeds/{channel}")
                    .summary("product feed for google or meta with live online availability")
                    .allow(NONE, FEEDS_READ, ADMIN),
            Route.of("POST", "/api/events").to(PROFILE).summary("interactions from any channel")
                    .allow(ANY, EVENTS_WRITE, STOREFRONT),

            // the customer's own data: the gateway resolves their profile from the token
            Route.of(READ, "/api/me").summary("360 of the customer: profile, cart, favourites, loyalty, consents")
                    .allow(SELF),
            Route.of("GET,POST", "/api/me/reservations").summary("the customer's click & collect reservations")
                    .allow(SELF),
            Route.of(ALL, "/api/me/cart/**").to(PROFILE).allow(SELF),
            Route.of(ALL, "/api/me/favourites/**").to(PROFILE).allow(SELF),
            Route.of("GET,HEAD,POST,PUT", "/api/me/consents/**").to(PROFILE).allow(SELF),
            Route.of(READ, "/api/me/loyalty/**").to(PROFILE).allow(SELF),

            // profile-service
            Route.of(READ, "/api/profiles/{profileId}").to(PROFILE).allow(OWNER, ADMIN),
            Route.of(ALL, "/api/profiles/{profileId}/cart/**").to(PROFILE).allow(OWNER, STOREFRONT, ADMIN),
            Route.of(ALL, "/api/profiles/{profileId}/favourites/**").to(PROFILE).allow(OWNER, STOREFRONT, ADMIN),
            Route.of("GET,HEAD,POST,PUT", "/api/profiles/{profileId}/consents/**").to(PROFILE).allow(OWNER, ADMIN),
            Route.of(READ, "/api/profiles/{profileId}/loyalty/**").to(PROFILE).allow(OWNER, ADMIN),
            Route.of(ALL, "/api/profiles/**").to(PROFILE).summary("lookups, merges, support contacts, erasure")
                    .allow(NONE, ADMIN),
            Route.of(ALL, "/api/segments/**").to(PROFILE).allow(NONE, ADMIN),

            // inventory-service
            Route.of(READ, "/api/products/{productId}/availability")
                    .summary("sizes of a product: online from the gateway's cache, nearest stores from inventory")
                    .allow(ANY, STOREFRONT, INVENTORY_READ, ADMIN),
            Route.of(READ, "/api/availability/**").to(INVENTORY).allow(ANY, STOREFRONT, INVENTORY_READ, ADMIN),
            Route.of(READ, "/api/locations/**").to(INVENTORY).allow(ANY, STOREFRONT, INVENTORY_READ, ADMIN),
            Route.of(WRITE, "/api/locations/**").to(INVENTORY).allow(NONE, ADMIN),
            Route.of(READ, "/api/skus/**").to(INVENTORY).allow(ANY, STOREFRONT, INVENTORY_READ, ADMIN),
            Route.of(WRITE, "/api/skus/**").to(INVENTORY).allow(NONE, ADMIN),
            Route.of(READ, "/api/stock/**").to(INVENTORY).allow(NONE, INVENTORY_READ, ADMIN),
            Route.of("POST", "/api/stock-movements").to(INVENTORY).summary("one movement, applied synchronously")
                    .allow(NONE, STOCK_WRITE, ADMIN),
            Route.of(READ, "/api/reservations").to(INVENTORY)
                    .summary("reservations of a profile (profileId), or at risk across customers (status=at_risk)")
                    .ownerInQuery("profileId", ADMIN).allow(OWNER, STOREFRONT, ADMIN),
            Route.of(ALL, "/api/reservations/**").to(INVENTORY).allow(NONE, STOREFRONT, ADMIN),
            Route.of(ALL, "/api/back-in-stock/**").to(INVENTORY).allow(NONE, STOREFRONT, ADMIN),

            // messaging-service: tracking links and provider webhooks are signed, so they need no token
            Route.of(ALL, "/api/templates/**").to(MESSAGING).allow(NONE, ADMIN),
            Route.of(ALL, "/api/journeys/**").to(MESSAGING).allow(NONE, ADMIN),
            Route.of(ALL, "/api/messages/**").to(MESSAGING).allow(NONE, ADMIN),
            Route.of(ALL, "/api/contacts/**").to(MESSAGING).summary("a profile's contact points for messages")
                    .allow(NONE, ADMIN),
            Route.of(READ, "/api/tracking/**").to(MESSAGING, "/t")
                    .summary("open pixel and click redirect (signed links)").open(),
            Route.of("POST", "/api/webhooks/**").to(MESSAGING, "/api/receipts")
                    .summary("provider delivery receipts (signed)").open(),

            // attribution-service: its /api/... under /api/attribution/... (its /api/journeys is not messaging's)
            Route.of(READ, "/api/attribution/**").to(ATTRIBUTION, "/api")
                    .summary("reports, KPIs, touchpoints, conversions and journeys")
                    .allow(NONE, ATTRIBUTION_READ, ADMIN)));

    private final List<Route> routes;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public List<Route> routes() {
        return routes;
    }

    public Optional<RouteMatch> match(String method, String normalizedPath) {
        for (Route route : routes) {
            Optional<Map<String, String>> params = route.match(method, normalizedPath);
            if (params.isPresent()) {
                return Optional.of(new RouteMatch(route, params.get()));
            }
        }
        return Optional.empty();
    }

    /** The methods some route allows on this path (for a 405's {@code Allow}); empty when no route has the path. */
    public Set<String> methodsFor(String normalizedPath) {
        Set<String> methods = new TreeSet<>();
        for (Route route : routes) {
            if (route.path().match(normalizedPath).isPresent()) {
                methods.addAll(route.methods());
            }
        }
        return methods;
    }

    public record RouteMatch(Route route, Map<String, String> params) {
    }
}
