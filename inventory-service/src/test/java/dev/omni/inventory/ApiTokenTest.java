package dev.omni.inventory;

import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * With {@code omni.auth.enabled} the service checks the bearer token on {@code /api} again, behind the gateway:
 * tokens are signed here with a local key pair whose public half is the service's {@code quarkus.oidc.public-key}
 * (so no Keycloak is needed); a token of another key, another issuer, another audience or an expired one, and no
 * token at all, get 401 problem+json; a valid token reaches the endpoint; paths outside {@code /api} stay open.
 */
@QuarkusTest
@TestProfile(ApiTokenTest.AuthOn.class)
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ApiTokenTest {

    static final String ISSUER = "https://keycloak.test/realms/omni";
    static final String API = "/api/locations";

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the key instead of a realm: no discovery, no Keycloak (an empty auth-server-url unsets the default)
            return Map.of("omni.auth.enabled", "true",
                    "quarkus.oidc.auth-server-url", "",
                    "quarkus.oidc.public-key", pem("auth/realm-public.pem"),
                    "quarkus.oidc.token.issuer", ISSUER);
        }
    }

    @Test
    void noTokenIs401ProblemJson() {
        given().get(API).then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401))
                .body("instance", equalTo(API.replaceAll("\\?.*", "")));
    }

    @Test
    void notABearerTokenIs401() {
        given().header("Authorization", "Basic b21uaTpvbW5p").get(API).then().statusCode(401);
        given().header("Authorization", "Bearer not-a-jwt").get(API).then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void foreignSignatureIs401() {
        rejected(token("auth/foreign-private.pem", claims -> {
        }));
    }

    @Test
    void wrongIssuerIs401() {
        rejected(token("auth/realm-private.pem", claims -> claims.setIssuer("https://keycloak.test/realms/other")));
    }

    @Test
    void wrongAudienceIs401() {
        rejected(token("auth/realm-private.pem", claims -> claims.setAudience("some-other-api")));
    }

    @Test
    void expiredIs401() {
        rejected(token("auth/realm-private.pem", claims -> {
            claims.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 3600));
            claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 600));
        }));
    }

    @Test
    void tamperedTokenIs401() {
        String valid = token("auth/realm-private.pem", claims -> {
        });
        String[] parts = valid.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"omni-admin\"", "\"omni-admon\"");
        rejected(parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
    }

    @Test
    void validTokenReachesTheApi() {
        given().auth().oauth2(token("auth/realm-private.pem", claims -> {
        })).get(API).then().statusCode(200);
    }

    @Test
    void pathsOutsideApiStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200);
    }

    private static void rejected(String token) {
        given().auth().oauth2(token).get(API).then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("status", equalTo(401))
                .body("detail", not(containsString(token)));
    }

    /** A token as Keycloak issues them for realm omni (client credentials of omni-admin), changed by {@code edit}. */
    static String token(String privateKey, Consumer<JwtClaims> edit) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(ISSUER);
            claims.setAudience("omni-gateway");
            claims.setSubject("service-account-omni-admin");
            claims.setClaim("azp", "omni-admin");
            claims.setClaim("scope", "admin");
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(5);
            claims.setGeneratedJwtId();
            edit.accept(claims);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setKey(privateKey(privateKey));
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey privateKey(String resource) throws Exception {
        byte[] der = Base64.getDecoder().decode(pem(resource));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** The base64 body of a PEM file on the test classpath. */
    static String pem(String resource) {
        try (InputStream in = ApiTokenTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
