package dev.omni.gateway;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * What partners take out: retargeting audiences (only consented members, only hashed identifiers), product feeds per
 * ad channel with live online availability, and the aggregated OpenAPI of the public API.
 */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PartnerEndpointsTest {

    @InjectStubServices
    StubServices services;

    @Inject
    CircuitBreakerMaintenance breakers;

    private final String ads = Tokens.client("partner-ads-" + UUID.randomUUID(), "audiences:read", "feeds:read");
    private String segment;

    @BeforeEach
    void reset() {
        services.reset();
        breakers.resetAll();
        segment = UUID.randomUUID().toString();
    }

    @Test
    void anAudienceHasOnlyConsentedMembersAsHashesWithTheirViewedAndCartProducts() {
        String consented = UUID.randomUUID().toString();
        String refused = UUID.randomUUID().toString();
        String revoked = UUID.randomUUID().toString();
        String noContact = UUID.randomUUID().toString();
        String erased = UUID.randomUUID().toString();
        String next = UUID.randomUUID().toString();
        services.profile.stubFor(get(urlPathEqualTo("/api/segments/" + segment + "/members"))
                .withQueryParam("limit", equalTo("5"))
                .willReturn(json("{\"segmentId\":\"" + segment + "\",\"members\":["
                        + member(consented) + "," + member(refused) + "," + member(revoked) + ","
                        + member(noContact) + "," + member(erased) + "],\"next\":\"" + next + "\"}")));
        stubProfile(consented, "[{\"type\":\"email\",\"value\":\" Anna@Example.com \"},"
                        + "{\"type\":\"phone\",\"value\":\"+4915112345678\"},{\"type\":\"loyaltyId\",\"value\":\"L-1\"}]",
                "[{\"channel\":\"email\",\"purpose\":\"marketing\",\"status\":\"granted\"},"
                        + "{\"channel\":\"advertising\",\"purpose\":\"marketing\",\"status\":\"granted\","
                        + "\"changedAt\":\"2026-03-01T10:00:00Z\"}]");
        stubProfile(refused, "[{\"type\":\"email\",\"value\":\"ben@example.com\"}]",
                "[{\"channel\":\"email\",\"purpose\":\"marketing\",\"status\":\"granted\"}]");
        stubProfile(revoked, "[{\"type\":\"email\",\"value\":\"cleo@example.com\"}]",
                "[{\"channel\":\"advertising\",\"purpose\":\"marketing\",\"status\":\"granted\","
                        + "\"changedAt\":\"2026-03-01T10:00:00Z\"},"
                        + "{\"channel\":\"advertising\",\"purpose\":\"marketing\",\"status\":\"revoked\","
                        + "\"changedAt\":\"2026-03-02T10:00:00Z\"}]");
        stubProfile(noContact, "[{\"type\":\"anonymousId\",\"value\":\"web-1\"}]",
                "[{\"channel\":\"advertising\",\"purpose\":\"marketing\",\"status\":\"granted\"}]");
        services.profile.stubFor(get(urlEqualTo("/api/profiles/" + erased)).willReturn(aResponse().withStatus(410)));
        services.profile.stubFor(get(urlEqualTo("/api/profiles/" + consented + "/continuity")).willReturn(json(
                "{\"favourites\":[{\"sku\":\"FAV-1\"}],\"cart\":[{\"sku\":\"TEE-M-WHT\",\"quantity\":2}],"
                        + "\"recentlyViewed\":[{\"sku\":\"SNK-42-WHT\"},{\"sku\":\"JKT-L-NVY\"}]}")));

        JsonPath audience = given().auth().oauth2(ads).header("X-Request-Id", "aud-1")
                .get("/api/partners/audiences/" + segment + "?limit=5")
                .then().statusCode(200)
                .body("segmentId", is(segment))
                .body("consent", is("advertising/marketing"))
                .body("next", is(next))
                .body("scanned", is(5))
                .body("excluded.noConsent", is(2))
                .body("excluded.noEmailOrPhone", is(1))
                .body("excluded.gone", is(1))
                .body("members.size()", is(1))
                .body("members[0].emailSha256", contains(sha256("anna@example.com")))
                .body("members[0].phoneSha256", contains(sha256("+4915112345678")))
                .body("members[0].lastViewedProductIds", contains("SNK-42-WHT", "JKT-L-NVY"))
                .body("members[0].inCartProductIds", contains("TEE-M-WHT"))
                .extract().jsonPath();
        String body = audience.prettify();
        for (String secret : List.of(consented, refused, "anna@example.com", "Anna@Example.com", "ben@example.com",
                "+4915112345678", "L-1")) {
            assertThat(body).as("nothing in clear: " + secret).doesNotContain(secret);
        }
        // the partner's token and the request id went to profile-service; nobody without consent was read further
        services.profile.verify(getRequestedFor(urlEqualTo("/api/profiles/" + consented + "/continuity"))
                .withHeader("Authorization", equalTo("Bearer " + ads)).withHeader("X-Request-Id", equalTo("aud-1")));
        for (String left : List.of(refused, revoked, noContact)) {
            assertThat(services.profile.findAll(anyRequestedFor(urlEqualTo("/api/profiles/" + left + "/continuity"))))
                    .isEmpty();
        }
    }

    @Test
    void anAudiencePageFailsWholeWhenAMemberCannotBeRead() {
        String member = UUID.randomUUID().toString();
        services.profile.stubFor(get(urlPathEqualTo("/api/segments/" + segment + "/members"))
                .willReturn(json("{\"members\":[" + member(member) + "],\"next\":null}")));
        services.profile.stubFor(get(urlEqualTo("/api/profiles/" + member))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().auth().oauth2(ads).get("/api/partners/audiences/" + segment)
                .then().statusCode(502).contentType("application/problem+json");
    }

    @Test
    void anAudienceAsksForAnExistingSegmentAndSaneParameters() {
        services.profile.stubFor(get(urlPathEqualTo("/api/segments/" + segment + "/members"))
                .willReturn(aResponse().withStatus(404)));
        given().auth().oauth2(ads).get("/api/partners/audiences/" + segment)
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(ads).get("/api/partners/audiences/not-a-segment")
                .then().statusCode(400).body("violations[0].field", is("segmentId"));
        given().auth().oauth2(ads).get("/api/partners/audiences/" + segment + "?limit=5000")
                .then().statusCode(400).body("violations[0].field", is("limit"));
        given().auth().oauth2(ads).get("/api/partners/audiences/" + segment + "?after=x")
                .then().statusCode(400).body("violations[0].field", is("after"));
        given().auth().oauth2(Tokens.client("partner-ads", "attribution:read", "events:write"))
                .get("/api/partners/audiences/" + segment).then().statusCode(403);
    }

    @Test
    void theGoogleAndMetaFeedsCarryLiveOnlineAvailabilityInTheirFieldNames() {
        services.inventory.stubFor(get(urlEqualTo("/api/skus")).willReturn(json("["
                + "{\"sku\":\"SNK-42-WHT\",\"productId\":\"SNK\",\"name\":\"Runner white 42\","
                + "\"attributes\":{\"size\":\"42\",\"colour\":\"white\",\"price\":\"129.9\"}},"
                + "{\"sku\":\"SNK-43-WHT\",\"productId\":\"SNK\",\"name\":\"Runner white 43\","
                + "\"attributes\":{\"size\":\"43\",\"colour\":\"white\"}},"
                + "{\"sku\":\"TOTE\",\"productId\":\"BAG\",\"name\":\"Tote\\tbag\",\"attributes\":{}}]")));
        services.inventory.stubFor(get(urlEqualTo("/api/availability/online?productId=SNK")).willReturn(json(
                "{\"channel\":\"online\",\"productId\":\"SNK\",\"skus\":[{\"sku\":\"SNK-42-WHT\",\"available\":3},"
                        + "{\"sku\":\"SNK-43-WHT\",\"available\":0}]}")));
        services.inventory.stubFor(get(urlEqualTo("/api/availability/online?productId=BAG")).willReturn(json(
                "{\"channel\":\"online\",\"productId\":\"BAG\",\"skus\":[{\"sku\":\"TOTE\",\"available\":12}]}")));

        given().auth().oauth2(ads).get("/api/partners/product-feeds/google")
                .then().statusCode(200)
                .body("channel", is("google"))
                .body("products", is(2))
                .body("items.size()", is(3))
                .body("items.find { it.id == 'SNK-42-WHT' }.availability", is("in_stock"))
                .body("items.find { it.id == 'SNK-42-WHT' }.item_group_id", is("SNK"))
                .body("items.find { it.id == 'SNK-42-WHT' }.price", is("129.90 EUR"))
                .body("items.find { it.id == 'SNK-42-WHT' }.size", is("42"))
                .body("items.find { it.id == 'SNK-42-WHT' }.color", is("white"))
                .body("items.find { it.id == 'SNK-42-WHT' }.condition", is("new"))
                .body("items.find { it.id == 'SNK-42-WHT' }.link",
                        is("http://localhost:3000/products/SNK?sku=SNK-42-WHT"))
                .body("items.find { it.id == 'SNK-43-WHT' }.availability", is("out_of_stock"))
                .body("items.find { it.id == 'SNK-43-WHT' }", not(hasKey("price")))
                .body("items.find { it.id == 'TOTE' }.availability", is("in_stock"));
        given().auth().oauth2(ads).get("/api/partners/product-feeds/meta")
                .then().statusCode(200)
                .body("items.find { it.id == 'SNK-42-WHT' }.availability", is("in stock"))
                .body("items.find { it.id == 'SNK-43-WHT' }.availability", is("out of stock"));

        String tsv = given().auth().oauth2(ads).get("/api/partners/product-feeds/meta?format=tsv")
                .then().statusCode(200).contentType("text/tab-separated-values").extract().asString();
        List<String> lines = tsv.lines().toList();
        assertThat(lines.get(0)).isEqualTo(
                "id\titem_group_id\ttitle\tdescription\tavailability\tcondition\tprice\tlink\timage_link\tbrand\tsize\tcolor");
        assertThat(lines).hasSize(4);
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("TOTE\tBAG\tTote bag\tTote bag\tin stock\t"));
        assertThat(given().auth().oauth2(ads).accept("text/tab-separated-values")
                .get("/api/partners/product-feeds/google").then().statusCode(200).extract().asString())
                .startsWith("id\titem_group_id\t");
        // the availability is read live, with the partner's token
        services.inventory.verify(2 + 2, getRequestedFor(urlEqualTo("/api/availability/online?productId=SNK"))
                .withHeader("Authorization", equalTo("Bearer " + ads)));
    }

    @Test
    void aFeedIsRefusedRatherThanWrongWhenAvailabilityCannotBeRead() {
        services.inventory.stubFor(get(urlEqualTo("/api/skus")).willReturn(json(
                "[{\"sku\":\"S-1\",\"productId\":\"P\",\"name\":\"S\",\"attributes\":{}}]")));
        services.inventory.stubFor(get(urlEqualTo("/api/availability/online?productId=P"))
                .willReturn(aResponse().withStatus(500)));
        given().auth().oauth2(ads).get("/api/partners/product-feeds/google")
                .then().statusCode(502).contentType("application/problem+json");
        given().auth().oauth2(ads).get("/api/partners/product-feeds/myspace")
                .then().statusCode(404).body("detail", org.hamcrest.Matchers.containsString("google, meta"));
        given().auth().oauth2(ads).get("/api/partners/product-feeds/google?format=xml")
                .then().statusCode(400).body("violations[0].field", is("format"));
    }

    @Test
    void theAggregatedOpenApiHoldsTheServicesOperationsAndSchemasTheGatewayExposes() {
        services.profile.stubFor(get(urlEqualTo("/q/openapi?format=json")).willReturn(json("""
                {"openapi":"3.1.0","info":{"title":"profile","version":"1"},
                 "paths":{
                  "/api/profiles/{id}/cart/{sku}":{"parameters":[{"name":"sku","in":"path","required":true,"schema":{"type":"string"}}],
                    "put":{"operationId":"putCart","parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],
                      "requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/CartLine"}}}},
                      "responses":{"200":{"description":"the lists","content":{"application/json":{"schema":{"$ref":"#/components/schemas/ContinuityView"}}}}}}},
                  "/api/segments/{id}/members":{"get":{"operationId":"members","responses":{"200":{"description":"members"}}}},
                  "/api/internal/rebuild":{"post":{"operationId":"rebuild","responses":{"204":{"description":"done"}}}}},
                 "components":{"schemas":{
                  "CartLine":{"type":"object","properties":{"quantity":{"type":"integer"}}},
                  "ContinuityView":{"type":"object","properties":{"cart":{"type":"array","items":{"$ref":"#/components/schemas/CartLine"}}}}}}}
                """)));
        services.messaging.stubFor(get(urlEqualTo("/q/openapi?format=json"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        services.attribution.stubFor(get(urlEqualTo("/q/openapi?format=json")).willReturn(json("""
                {"openapi":"3.1.0","info":{"title":"attribution","version":"1"},
                 "paths":{
                  "/api/reports/credit":{"get":{"operationId":"credit","responses":{"200":{"description":"credit"}}}},
                  "/api/journeys":{"get":{"operationId":"journeys","responses":{"200":{"description":"journeys"}}}}}}
                """)));

        JsonPath doc = given().get("/openapi").then().statusCode(200).contentType("application/json")
                .body("x-omni-unavailable", hasItem("messaging"))
                .body("paths", not(hasKey("/api/internal/rebuild")))
                .extract().jsonPath();
        Map<String, Object> put = doc.getMap("paths.'/api/profiles/{id}/cart/{sku}'.put");
        assertThat(put).containsEntry("x-omni-upstream", "profile").containsEntry("operationId", "profile_putCart");
        assertThat(doc.getString("paths.'/api/profiles/{id}/cart/{sku}'.put.requestBody.content.'application/json'.schema.$ref"))
                .isEqualTo("#/components/schemas/profile.CartLine");
        assertThat(doc.getList("paths.'/api/profiles/{id}/cart/{sku}'.put.security[0].omni", String.class))
                .containsExactly("admin", "storefront");
        assertThat(doc.getMap("paths.'/api/profiles/{id}/cart/{sku}'.put.responses")).containsKeys("200", "401", "403",
                "429", "502", "503", "504");
        assertThat(doc.getString("components.schemas.'profile.ContinuityView'.properties.cart.items.$ref"))
                .isEqualTo("#/components/schemas/profile.CartLine");
        // the customer's own cart: the same operation without the profile id
        assertThat(doc.getList("paths.'/api/me/cart/{sku}'.put.parameters.name", String.class)).containsExactly("sku");
        assertThat(doc.getString("paths.'/api/me/cart/{sku}'.put.operationId")).isEqualTo("me_profile_putCart");
        assertThat(doc.getMap("paths.'/api/segments/{id}/members'.get")).containsEntry("x-omni-upstream", "profile");
        // the gateway's own endpoints keep their schemas; a service that could not be asked keeps the route table's
        assertThat(doc.getMap("paths.'/api/partners/audiences/{segmentId}'.get")).isNotNull();
        assertThat(doc.getMap("paths.'/api/templates'.get")).containsEntry("x-omni-upstream", "messaging");
        assertThat(doc.getMap("paths")).doesNotContainKey("/api/segments");
        // a prefixed route: attribution's /api/... is the gateway's /api/attribution/..., not messaging's /api/journeys
        assertThat(doc.getMap("paths.'/api/attribution/reports/credit'.get"))
                .containsEntry("x-omni-upstream", "attribution").containsEntry("operationId", "attribution_credit");
        assertThat(doc.getMap("paths.'/api/attribution/journeys'.get")).containsEntry("x-omni-upstream", "attribution");
        assertThat(doc.getMap("paths")).doesNotContainKeys("/api/reports/credit");
    }

    private static String member(String profileId) {
        return "{\"profileId\":\"" + profileId + "\",\"enteredAt\":\"2026-03-01T10:00:00Z\"}";
    }

    private void stubProfile(String profileId, String identifiers, String consents) {
        services.profile.stubFor(get(urlEqualTo("/api/profiles/" + profileId)).willReturn(json(
                "{\"id\":\"" + profileId + "\",\"traits\":{\"firstName\":\"X\"},\"identifiers\":" + identifiers
                        + ",\"consents\":" + consents + "}")));
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
