package dev.omni.gateway;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Bearer tokens for tests, shaped like realm omni's (aud omni-gateway, scope, azp, realm_access.roles) and signed
 * with the OIDC test server's key, plus the broken kinds the gateway must refuse.
 */
public final class Tokens {

    public static final String ISSUER = "https://server.example.com";
    public static final String AUDIENCE = "omni-gateway";

    private Tokens() {
    }

    /** A client-credentials token of {@code clientId} with {@code scopes}. */
    public static String client(String clientId, String... scopes) {
        return clientClaims(clientId, scopes).sign();
    }

    /** A shopper's token from the storefront app: role customer, scope storefront, verified e-mail. */
    public static String customer(String subject, String email) {
        return customerClaims(subject, email).sign();
    }

    public static String expired(String clientId, String... scopes) {
        Instant past = Instant.now().minusSeconds(3600);
        return clientClaims(clientId, scopes).issuedAt(past).expiresAt(past.plusSeconds(300)).sign();
    }

    public static String wrongIssuer(String clientId, String... scopes) {
        return clientClaims(clientId, scopes).issuer("https://evil.example.com").sign();
    }

    public static String wrongAudience(String clientId, String... scopes) {
        return clientClaims(clientId, scopes).audience("some-other-api").sign();
    }

    /** Right claims, signed by a key the realm never published. */
    public static String foreignSignature(String clientId, String... scopes) {
        return clientClaims(clientId, scopes).jws().keyId("1").sign(foreignKey());
    }

    private static JwtClaimsBuilder clientClaims(String clientId, String... scopes) {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("service-account-" + clientId)
                .claim("azp", clientId)
                .claim("scope", String.join(" ", scopes))
                .claim("realm_access", Map.of("roles", List.of("default-roles-omni")))
                .expiresIn(300);
    }

    private static JwtClaimsBuilder customerClaims(String subject, String email) {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .claim("azp", "storefront-app")
                .claim("scope", "openid profile email storefront")
                .claim("realm_access", Map.of("roles", List.of("default-roles-omni", "customer")))
                .claim("email", email)
                .claim("email_verified", true)
                .expiresIn(300);
    }

    private static PrivateKey foreignKey() {
        return ForeignKey.KEY;
    }

    /** Made once: RSA key generation is slow on a busy machine. */
    private static final class ForeignKey {
        static final PrivateKey KEY = generate();

        private static PrivateKey generate() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return generator.generateKeyPair().getPrivate();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
