package dev.omni.auth;

import org.eclipse.microprofile.jwt.JsonWebToken;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/** Tokens and principals for the cache's tests. */
final class TestTokens {

    private TestTokens() {
    }

    /** A token of JWT shape (header.payload.signature): AccessTokenCredential calls anything else opaque. */
    static String token(String id) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{\"jti\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    /** A principal with a subject and an expiry ({@code exp}, seconds since the epoch). */
    static JsonWebToken principal(String name, long exp) {
        Map<String, Object> claims = Map.of("sub", name, "exp", exp);
        return new JsonWebToken() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claimName) {
                return (T) claims.get(claimName);
            }
        };
    }
}
