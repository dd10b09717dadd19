package dev.omni.gateway.keycloak;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.omni.gateway.InjectStubServices;
import dev.omni.gateway.StubServices;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The gateway with tokens issued by a real Keycloak (realm {@code omni} from {@code launcher/keycloak/omni-realm.json},
 * started by {@link RealKeycloakResources}): the realm's clients get exactly what their scopes open, a customer's
 * password login reaches their own data only, and tokens the realm did not issue for the gateway are refused.
 */
@QuarkusTest
@WithTestResource(value = RealKeycloakResources.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RealKeycloakTest {

    @InjectStubServices
    StubServices services;

    private String keycloak;

    @BeforeEach
    void reset() {
        services.reset();
        // read here, not injected: every test class's injection points are checked when the app starts
        keycloak = ConfigProvider.getConfig().getValue("omni.keycloak.test.url", String.class);
    }

    @Test
    void eachClientOfTheRealmGetsWhatItsScopesOpenAndItsTokenReachesTheService() {
        String pos = clientToken("partner-pos");
        JsonPath claims = claims(pos);
        assertThat(claims.getString("iss")).isEqualTo(keycloak + "/realms/omni");
        assertThat(claims.getString("azp")).isEqualTo("partner-pos");
        assertThat(claims.getString("scope")).contains("stock:write", "inventory:read");

        given().auth().oauth2(pos).contentType("application/json")
                .body("{\"movementId\":\"kc-" + UUID.randomUUID() + "\",\"kind\":\"RECEIPT\",\"sku\":\"SKU-KC\","
                        + "\"locationId\":\"store-1\",\"quantity\":3}")
                .post("/api/partners/stock-movements")
                .then().statusCode(202).body("accepted", is(1));
        given().auth().oauth2(pos).get("/api/stock/SKU-KC").then().statusCode(200).body("upstream", is("inventory"));
        services.inventory.verify(getRequestedFor(urlEqualTo("/api/stock/SKU-KC"))
                .withHeader("Authorization", equalTo("Bearer " + pos)));

        String ads = clientToken("partner-ads");
        given().auth().oauth2(ads).get("/api/attribution/reports").then().statusCode(200);
        given().auth().oauth2(ads).get("/api/stock/SKU-KC").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(clientToken("storefront-web")).get("/api/attribution/reports").then().statusCode(403);

        String segment = UUID.randomUUID().toString();
        services.profile.stubFor(get(urlPathEqualTo("/api/segments/" + segment + "/members"))
                .willReturn(json("{\"members\":[],\"next\":null}")));
        given().auth().oauth2(clientToken("omni-admin")).get("/api/partners/audiences/" + segment)
                .then().statusCode(200).body("scanned", is(0));
    }

    @Test
    void aCustomersPasswordLoginReachesTheirOwnDataOnly() {
        String anna = given().formParam("grant_type", "password").formParam("client_id", "storefront-app")
                .formParam("username", "anna@example.com").formParam("password", "anna")
                .formParam("scope", "openid")
                .post(keycloak + "/realms/omni/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        String profileId = "p-" + UUID.randomUUID();
        services.profile.stubFor(get(urlPathEqualTo("/api/profiles"))
                .withQueryParam("identifierType", equalTo("email"))
                .withQueryParam("identifier", equalTo("anna@example.com"))
                .willReturn(json("{\"id\":\"" + profileId + "\"}")));
        services.profile.stubFor(get(urlEqualTo("/api/profiles/" + profileId))
                .willReturn(json("{\"id\":\"" + profileId + "\",\"traits\":{\"firstName\":\"Anna\"}}")));

        given().auth().oauth2(anna).get("/api/me").then().statusCode(200)
                .body("profileId", is(profileId))
                .body("profile.traits.firstName", is("Anna"));
        given().auth().oauth2(anna).get("/api/profiles/" + profileId + "/cart").then().statusCode(200);
        given().auth().oauth2(anna).get("/api/profiles/p-" + UUID.randomUUID()).then().statusCode(403);
        given().auth().oauth2(anna).get("/api/stock/SKU-KC").then().statusCode(403);
    }

    @Test
    void tokensTheRealmDidNotIssueForTheGatewayAreRefused() {
        given().get("/api/stock/SKU-KC").then().statusCode(401);

        String pos = clientToken("partner-pos");
        String[] parts = pos.split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("\"partner-pos\"", "\"omni-admin\"").getBytes(StandardCharsets.UTF_8));
        given().auth().oauth2(parts[0] + "." + otherPayload + "." + parts[2]).get("/api/stock/SKU-KC")
                .then().statusCode(401);

        // the master realm's admin: a real Keycloak token, but another issuer and not for omni-gateway
        String master = given().formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", "admin").formParam("password", "admin")
                .post(keycloak + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(master).get("/api/stock/SKU-KC").then().statusCode(401);
    }

    private String clientToken(String client) {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", client)
                .formParam("client_secret", client + "-secret")
                .post(keycloak + "/realms/omni/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private static JsonPath claims(String token) {
        return new JsonPath(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }
}
