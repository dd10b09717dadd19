package dev.omni.console.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;
import java.util.TreeSet;

/** Who is logged in, and which pages and actions their realm roles open (read by the templates as {@code staff}). */
@Named("staff")
@RequestScoped
public class Staff {

    public static final String MARKETER = "marketer";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";

    @Inject
    SecurityIdentity identity;

    public boolean isLoggedIn() {
        return !identity.isAnonymous();
    }

    public String getName() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getClaim("preferred_username") != null) {
            return jwt.getClaim("preferred_username").toString();
        }
        return identity.getPrincipal().getName();
    }

    public Set<String> getRoles() {
        Set<String> staffRoles = new TreeSet<>(identity.getRoles());
        staffRoles.retainAll(Set.of(MARKETER, OPERATOR, ADMIN));
        return staffRoles;
    }

    public boolean isCustomers() {
        return has(MARKETER) || has(OPERATOR) || has(ADMIN);
    }

    public boolean isUnmerge() {
        return has(OPERATOR) || has(ADMIN);
    }

    public boolean isAttribution() {
        return has(MARKETER) || has(ADMIN);
    }

    public boolean isSegments() {
        return has(MARKETER) || has(ADMIN);
    }

    public boolean isJourneys() {
        return has(MARKETER) || has(ADMIN);
    }

    public boolean isInventory() {
        return has(OPERATOR) || has(ADMIN);
    }

    private boolean has(String role) {
        return identity.hasRole(role);
    }
}
