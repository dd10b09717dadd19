package dev.omni.gateway.route;

import java.util.Set;

/**
 * Who may call a route: nobody needs a token when {@code open}; otherwise a client token with one of {@code scopes},
 * or a customer token as {@code customers} allows.
 */
public record Access(boolean open, Set<String> scopes, CustomerAccess customers) {

    public static Access anyone() {
        return new Access(true, Set.of(), CustomerAccess.ANY);
    }

    public static Access scopes(Set<String> scopes, CustomerAccess customers) {
        return new Access(false, Set.copyOf(scopes), customers);
    }
}
