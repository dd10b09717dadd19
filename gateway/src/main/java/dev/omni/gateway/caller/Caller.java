package dev.omni.gateway.caller;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Who is calling, read from a validated bearer token: the OAuth client ({@code azp}), the subject, the granted
 * scopes, realm roles, and whether it is a customer (a shopper's login) rather than a client acting for itself.
 */
public record Caller(String clientId, String subject, Set<String> scopes, Set<String> roles, boolean customer,
        Optional<String> verifiedEmail, String rawToken) {

    /** Compiled once: {@code String.split("\\s+")} compiled this pattern again on every request. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    public static Caller of(SecurityIdentity identity, CustomersConfig customers) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            throw new IllegalStateException("the gateway only knows bearer tokens, not " + identity.getPrincipal());
        }
        String clientId = text(token.getClaim("azp"))
                .or(() -> text(token.getClaim("client_id")))
                .orElse(token.getSubject());
        Set<String> scopes = text(token.getClaim("scope"))
                .map(s -> Arrays.stream(WHITESPACE.split(s.trim())).filter(x -> !x.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()))
                .orElse(Set.of());
        Set<String> roles = Set.copyOf(identity.getRoles());
        boolean customer = roles.contains(customers.role()) || customers.clients().contains(clientId);
        Optional<String> email = text(token.getClaim("email")).filter(e -> isTrue(token.getClaim("email_verified")));
        return new Caller(clientId, token.getSubject(), scopes, roles, customer, email, token.getRawToken());
    }

    public boolean hasAnyScope(Set<String> wanted) {
        return wanted.stream().anyMatch(scopes::contains);
    }

    /** Claims come as Java values or as JSON-P values depending on the claim; both are read here. */
    private static Optional<String> text(Object claim) {
        String value = claim instanceof JsonString json ? json.getString() : claim == null ? null : claim.toString();
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    private static boolean isTrue(Object claim) {
        return Boolean.TRUE.equals(claim) || claim == JsonValue.TRUE
                || (claim instanceof String s && Boolean.parseBoolean(s));
    }
}
