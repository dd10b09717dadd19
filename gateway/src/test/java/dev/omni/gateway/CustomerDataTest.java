package dev.omni.gateway;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** A customer's own data: found from their login, composed from the services, never someone else's. */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CustomerDataTest {

    @InjectStubServices
    StubServices services;

    @Inject
    CircuitBreakerMaintenance breakers;

    private String profileId;
    private String email;
    private String token;

    @BeforeEach
    void aCustomerWithAProfile() {
        services.reset();
        breakers.resetAll();
        profileId = "p-" + UUID.randomUUID();
        email = "anna-" + UUID.randomUUID() + "@example.com";
        token = Tokens.customer(UUID.randomUUID().toString(), email);
        services.profile.stubFor(get(urlPathEqualTo("/api/profiles"))
                .withQueryParam("identifierType", equalTo("email"))
                .withQueryParam("identifier", equalTo(email))
                .willReturn(json("{\"id\":\"" + profileId + "\"}")));
    }

    @Test
    void meComposesEveryPartWithTheCustomersToken() {
        stubPart("", "{\"id\":\"" + profileId + "\",\"traits\":{\"firstName\":\"Anna\"}}");
        stubPart("/cart", "{\"lines\":[{\"sku\":\"SNK-42\",\"quantity\":1}]}");
        stubPart("/favourites", "[\"SNK-RUNNER\"]");
        stubPart("/loyalty", "{\"balance\":120}");
        stubPart("/consents", "[{\"channel\":\"email\",\"status\":\"granted\"}]");
        services.inventory.stubFor(get(urlPathEqualTo("/api/reservations"))
                .withQueryParam("profileId", equalTo(profileId))
                .willReturn(json("[{\"id\":\"r-1\",\"status\":\"active\"}]")));

        given().auth().oauth2(token).header("X-Request-Id", "me-1").get("/api/me")
                .then().statusCode(200)
                .body("profileId", is(profileId))
                .body("profile.traits.firstName", is("Anna"))
                .body("cart.lines[0].sku", is("SNK-42"))
                .body("favourites", contains("SNK-RUNNER"))
                .body("loyalty.balance", is(120))
                .body("consents[0].status", is("granted"))
                .body("reservations[0].id", is("r-1"))
                .body("unavailable", empty());
        services.profile.verify(getRequestedFor(urlEqualTo("/api/profiles/" + profileId + "/loyalty"))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .withHeader("X-Request-Id", equalTo("me-1")));
    }

    @Test
    void meAnswersWithoutThePartsWhoseServiceFailed() {
        stubPart("", "{\"id\":\"" + profileId + "\"}");
        services.profile.stubFor(get(urlEqualTo("/api/profiles/" + profileId + "/loyalty"))
                .willReturn(aResponse().withStatus(500)));
        services.inventory.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        given().auth().oauth2(token).get("/api/me")
                .then().statusCode(200)
                .body("profile.id", is(profileId))
                .body("cart.upstream", is("profile"))
                .body("loyalty", nullValue())
                .body("reservations", nullValue())
                .body("unavailable", containsInAnyOrder("loyalty", "reservations"));
    }

    @Test
    void aSlowPartIsLeftOutAfterThePartTimeout() {
        services.profile.stubFor(get(urlEqualTo("/api/profiles/" + profileId + "/consents"))
                .willReturn(json("[]").withFixedDelay(6_000)));
        long started = System.nanoTime();
        given().auth().oauth2(token).get("/api/me")
                .then().statusCode(200)
                .body("unavailable", contains("consents"));
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void aPartTheServiceDoesNotHaveIsEmptyNotUnavailable() {
        services.profile.stubFor(get(urlEqualTo("/api/profiles/" + profileId + "/favourites"))
                .willReturn(aResponse().withStatus(404)));
        given().auth().oauth2(token).get("/api/me")
                .then().statusCode(200)
                .body("favourites", nullValue())
                .body("unavailable", empty());
    }

    @Test
    void aLoginWithoutAProfileHasNoMe() {
        String login = "nobody-" + UUID.randomUUID() + "@example.com";
        String stranger = Tokens.customer(UUID.randomUUID().toString(), login);
        services.profile.stubFor(get(urlPathEqualTo("/api/profiles"))
                .withQueryParam("identifier", equalTo(login))
                .willReturn(aResponse().withStatus(404)));
        given().auth().oauth2(stranger).get("/api/me")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(stranger).get("/api/me/cart")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void meAsAClientIsForbidden() {
        given().auth().oauth2(Tokens.client("storefront-web", "storefront")).get("/api/me")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void theCustomersCartIsTheirProfilesCart() {
        given().auth().oauth2(token).get("/api/me/cart").then().statusCode(200).body("upstream", is("profile"));
        given().auth().oauth2(token).contentType("application/json").body("{\"lines\":[]}")
                .put("/api/me/cart/lines?merge=true").then().statusCode(200);
        services.profile.verify(getRequestedFor(urlEqualTo("/api/profiles/" + profileId + "/cart"))
                .withHeader("Authorization", equalTo("Bearer " + token)));
        services.profile.verify(putRequestedFor(urlEqualTo("/api/profiles/" + profileId + "/cart/lines?merge=true"))
                .withRequestBody(equalToJson("{\"lines\":[]}")));
    }

    @Test
    void aCustomerReachesTheirOwnProfileButNeverAnothers() {
        given().auth().oauth2(token).get("/api/profiles/" + profileId + "/favourites").then().statusCode(200);
        String other = "p-" + UUID.randomUUID();
        given().auth().oauth2(token).get("/api/profiles/" + other).then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(token).contentType("application/json").body("{}")
                .post("/api/profiles/" + other + "/consents").then().statusCode(403);
        assertThat(services.profile.findAll(anyRequestedFor(urlPathEqualTo("/api/profiles/" + other)))).isEmpty();
        assertThat(services.profile.findAll(anyRequestedFor(urlPathEqualTo("/api/profiles/" + other + "/consents"))))
                .isEmpty();
    }

    @Test
    void whenTheProfileLookupFailsTheCustomerIsToldItIsTheGatewaysSide() {
        String login = "gone-" + UUID.randomUUID() + "@example.com";
        services.profile.stubFor(get(urlPathEqualTo("/api/profiles")).withQueryParam("identifier", equalTo(login))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().auth().oauth2(Tokens.customer(UUID.randomUUID().toString(), login)).get("/api/profiles/p-1/cart")
                .then().statusCode(502).contentType("application/problem+json");
    }

    @Test
    void clickAndCollectIsReservedForTheCustomersProfile() {
        services.inventory.stubFor(post(urlEqualTo("/api/reservations")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"r-9\",\"status\":\"active\",\"expiresAt\":\"2026-03-14T10:15:00Z\"}")));
        given().auth().oauth2(token).contentType("application/json").header("Idempotency-Key", "cc-1")
                .body("{\"lines\":[{\"sku\":\"SNK-42\",\"locationId\":\"store-berlin-mitte\",\"quantity\":1}],"
                        + "\"profileId\":\"someone-else\"}")
                .post("/api/me/reservations")
                .then().statusCode(201)
                .body("id", is("r-9"));
        List<LoggedRequest> sent = services.inventory.findAll(postRequestedFor(urlEqualTo("/api/reservations")));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getHeader("Idempotency-Key")).isEqualTo("cc-1");
        assertThat(sent.get(0).getHeader("Authorization")).isEqualTo("Bearer " + token);
        services.inventory.verify(postRequestedFor(urlEqualTo("/api/reservations")).withRequestBody(equalToJson(
                "{\"profileId\":\"" + profileId + "\",\"channel\":\"click_and_collect\",\"lines\":"
                        + "[{\"sku\":\"SNK-42\",\"locationId\":\"store-berlin-mitte\",\"quantity\":1}]}")));
    }

    @Test
    void theCustomerMayLetAnotherStoreStandIn() {
        services.inventory.stubFor(post(urlEqualTo("/api/reservations")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"r-10\"}")));
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"SNK-42\",\"locationId\":\"store-berlin-mitte\",\"quantity\":1}],"
                        + "\"pickupLocationId\":\"store-berlin-mitte\",\"allowReallocation\":true,"
                        + "\"reallocationRadiusKm\":15}")
                .post("/api/me/reservations")
                .then().statusCode(201);
        services.inventory.verify(postRequestedFor(urlEqualTo("/api/reservations")).withRequestBody(equalToJson(
                "{\"profileId\":\"" + profileId + "\",\"channel\":\"click_and_collect\","
                        + "\"pickupLocationId\":\"store-berlin-mitte\",\"allowReallocation\":true,"
                        + "\"reallocationRadiusKm\":15.0,\"lines\":"
                        + "[{\"sku\":\"SNK-42\",\"locationId\":\"store-berlin-mitte\",\"quantity\":1}]}")));
    }

    @Test
    void badReallocationOptionsAreNamed() {
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"SNK-42\",\"locationId\":\"store-1\",\"quantity\":1}],"
                        + "\"allowReallocation\":\"yes\",\"reallocationRadiusKm\":-3,\"pickupLocationId\":7}")
                .post("/api/me/reservations")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", containsInAnyOrder("allowReallocation", "reallocationRadiusKm",
                        "pickupLocationId"));
        services.inventory.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anOutOfStockReservationIsTheServicesProblemPassedOn() {
        services.inventory.stubFor(post(urlEqualTo("/api/reservations")).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\":409,\"title\":\"Conflict\",\"detail\":\"only 0 of SNK-42 available\"}")));
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"SNK-42\",\"locationId\":\"store-1\",\"quantity\":1}]}")
                .post("/api/me/reservations")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", is("only 0 of SNK-42 available"));
    }

    @Test
    void aBadReservationNamesTheFieldAndNeverReachesInventory() {
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"lines\":[{\"sku\":\"SNK-42\",\"locationId\":\"store-1\",\"quantity\":0},{\"quantity\":1}]}")
                .post("/api/me/reservations")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", containsInAnyOrder("lines[0].quantity", "lines[1].sku", "lines[1].locationId"));
        services.inventory.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theCustomersReservationsAreAskedForByTheirProfile() {
        given().auth().oauth2(token).get("/api/me/reservations").then().statusCode(200)
                .body("upstream", is("inventory"));
        services.inventory.verify(getRequestedFor(urlEqualTo("/api/reservations?profileId=" + profileId)));
    }

    private void stubPart(String suffix, String body) {
        services.profile.stubFor(get(urlEqualTo("/api/profiles/" + profileId + suffix)).willReturn(json(body)));
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withHeader("Content-Type", "application/json").withBody(body);
    }
}
