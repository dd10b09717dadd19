package dev.omni.gateway.route;

/**
 * What a customer's own token (a shopper logged in through a storefront app) may do on a route. Such tokens carry
 * the {@code storefront} scope too, so they are judged by this rule alone, never by their scopes.
 */
public enum CustomerAccess {
    /** Not for customers. */
    NONE,
    /** Any customer (catalogue, availability, sending their own interactions). */
    ANY,
    /** Only when the route's {@code {profileId}} is the customer's own profile (OWASP API1: object-level authorisation). */
    OWNER,
    /** The customer's own data under {@code /api/me}; the gateway fills in their profile id. */
    SELF
}
