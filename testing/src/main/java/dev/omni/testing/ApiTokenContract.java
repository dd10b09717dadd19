package dev.omni.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
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
 * With {@code omni.auth.enabled} a service checks the bearer token on {@code /api} again, behind the gateway:
 * tokens are signed here with a local key pair whose public half becomes the service's {@code quarkus.oidc.public-key}
 * (so no Keycloak is needed); a token of another key, another issuer, another audience or an expired one, and no
 * token at all, get 401 problem+json; a valid token reaches the endpoint; paths outside {@code /api} stay open.
 * A service's test extends it with {@code @TestProfile(ApiTokenContract.AuthOn.class)} and names one of its
 * {@code /api} GETs that answers 200.
 */
public abstract class ApiTokenContract {

    public static final String ISSUER = "https://keycloak.test/realms/omni";

    /** The service with the check on, verifying with the test key pair's public half. */
    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the key instead of a realm: no discovery, no Keycloak (an empty auth-server-url unsets the default)
            return Map.of("omni.auth.enabled", "true",
                    "quarkus.oidc.auth-server-url", "",
                    "quarkus.oidc.public-key", pem("dev/omni/testing/auth/realm-public.pem"),
                    "quarkus.oidc.token.issuer", ISSUER);
        }
    }

    /** A GET under {@code /api} that answers 200 with a valid token. */
    protected abstract String api();

    @Test
    void noTokenIs401ProblemJson() {
        given().get(api()).then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401))
                .body("instance", equalTo(api().replaceAll("\\?.*", "")));
    }

    @Test
    void notABearerTokenIs401() {
        given().header("Authorization", "Basic b21uaTpvbW5p").get(api()).then().statusCode(401);
        given().header("Authorization", "Bearer not-a-jwt").get(api()).then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void foreignSignatureIs401() {
        rejected(token("dev/omni/testing/auth/foreign-private.pem", claims -> {
        }));
    }

    @Test
    void wrongIssuerIs401() {
        rejected(token("dev/omni/testing/auth/realm-private.pem", claims -> claims.setIssuer("https://keycloak.test/realms/other")));
    }

    @Test
    void wrongAudienceIs401() {
        rejected(token("dev/omni/testing/auth/realm-private.pem", claims -> claims.setAudience("some-other-api")));
    }

    @Test
    void expiredIs401() {
        rejected(token("dev/omni/testing/auth/realm-private.pem", claims -> {
            claims.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 3600));
            claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 600));
        }));
    }

    @Test
    void tamperedTokenIs401() {
        String valid = token("dev/omni/testing/auth/realm-private.pem", claims -> {
        });
        String[] parts = valid.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"omni-admin\"", "\"omni-admon\"");
        rejected(parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
    }

    @Test
    void validTokenReachesTheApi() {
        given().auth().oauth2(token("dev/omni/testing/auth/realm-private.pem", claims -> {
        })).get(api()).then().statusCode(200);
    }

    @Test
    void pathsOutsideApiStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200);
    }

    private void rejected(String token) {
        given().auth().oauth2(token).get(api()).then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("invalid_token"))
                .body("status", equalTo(401))
                .body("detail", not(containsString(token)));
    }

    /** A token as Keycloak issues them for realm omni (client credentials of omni-admin), changed by {@code edit}. */
    public static String token(String privateKey, Consumer<JwtClaims> edit) {
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
    public static String pem(String resource) {
        try (InputStream in = ApiTokenContract.class.getClassLoader().getResourceAsStream(resource)) {
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
