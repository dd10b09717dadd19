package dev.omni.gateway.route;

/** The OAuth scopes of realm {@code omni} the route table asks for (Keycloak client scopes of the same name). */
public final class Scopes {
    public static final String STOREFRONT = "storefront";
    public static final String EVENTS_WRITE = "events:write";
    public static final String STOCK_WRITE = "stock:write";
    public static final String INVENTORY_READ = "inventory:read";
    public static final String ATTRIBUTION_READ = "attribution:read";
    public static final String AUDIENCES_READ = "audiences:read";
    public static final String FEEDS_READ = "feeds:read";
    public static final String ADMIN = "admin";

    private Scopes() {
    }
}
