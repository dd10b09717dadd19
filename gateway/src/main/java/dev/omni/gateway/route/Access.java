package dev.omni.gateway.route;

import java.util.Set;

/**
 * Who may call a route: nobody needs a token when {@code open}; otherwise a client token with one of {@code scopes},
 * or a customer token as {@code customers} allows.
 *
 * @param ownerParameter for a listing route, the query parameter naming the profile whose data is listed (null: the
 *                       owner is the path's {@code {profileId}}); an {@link CustomerAccess#OWNER} customer must name
 *                       exactly their own
 * @param acrossOwners   the client scopes that may call such a route without naming a profile, i.e. list across
 *                       customers
 */
public record Access(boolean open, Set<String> scopes, CustomerAccess customers, String ownerParameter,
        Set<String> acrossOwners) {

    public static Access anyone() {
        return new Access(true, Set.of(), CustomerAccess.ANY, null, Set.of());
    }

    public static Access scopes(Set<String> scopes, CustomerAccess customers) {
        return new Access(false, Set.copyOf(scopes), customers, null, Set.of());
    }

    public Access ownedByQuery(String parameter, Set<String> acrossOwnersScopes) {
        return new Access(open, scopes, customers, parameter, Set.copyOf(acrossOwnersScopes));
    }
}
