package dev.omni.profile;

import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static dev.omni.profile.Api.accepted;
import static dev.omni.profile.Api.ingest;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/** Points earned on orders from any channel, spent without ever going below zero. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class LoyaltyTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void ordersEarnByTheConfiguredRulesAndOnceEach() {
        String card = "loyalty-" + UUID.randomUUID();
        String profile = order("web", card, "120.90", "EUR", "web-1-" + card);
        order("pos", card, "10.00", "EUR", "pos-1-" + card);
        // the web shop and the store both report the click-and-collect order: it earns once
        order("store", card, "40.00", "EUR", "cc-1-" + card);
        order("web", card, "40.00", "EUR", "cc-1-" + card);
        order("web", card, "5000", "JPY", "jp-1-" + card);

        given().get("/api/profiles/" + profile + "/loyalty").then().statusCode(200)
                .body("balance", is(120 + 20 + 80))
                .body("ledger.points", contains(80, 20, 120))
                .body("ledger.balanceAfter", contains(220, 140, 120))
                .body("ledger.reference", contains("order:cc-1-" + card, "order:pos-1-" + card, "order:web-1-" + card));
    }

    @Test
    void concurrentRedemptionsNeverTakeTheBalanceBelowZero() throws Exception {
        String card = "race-" + UUID.randomUUID();
        String profile = order("web", card, "100", "EUR", "race-" + card);
        List<String> bodies = Collections.nCopies(10, "{\"points\":30,\"channel\":\"app\"}");

        List<HttpResponse<String>> responses = Api.parallel("POST",
                URI.create(root + "api/profiles/" + profile + "/loyalty/redemptions"), bodies, null);

        assertThat(responses).extracting(HttpResponse::statusCode).filteredOn(s -> s == 201).hasSize(3);
        assertThat(responses).extracting(HttpResponse::statusCode).filteredOn(s -> s == 409).hasSize(7);
        assertThat(responses.stream().filter(r -> r.statusCode() == 409))
                .allSatisfy(r -> assertThat(r.body()).contains("insufficient points"));
        given().get("/api/profiles/" + profile + "/loyalty").then()
                .body("balance", is(10))
                .body("ledger.balanceAfter", everyItem(greaterThanOrEqualTo(0)))
                .body("ledger.size()", is(4));
    }

    @Test
    void aRetriedRedemptionWithTheSameIdempotencyKeySpendsOnce() throws Exception {
        String card = "retry-" + UUID.randomUUID();
        String profile = order("app", card, "50", "EUR", "retry-" + card);
        String key = UUID.randomUUID().toString();
        List<HttpResponse<String>> responses = Api.parallel("POST",
                URI.create(root + "api/profiles/" + profile + "/loyalty/redemptions"),
                Collections.nCopies(4, "{\"points\":20,\"channel\":\"app\",\"reference\":\"voucher-7\"}"), key);

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(201));
        assertThat(responses.stream().map(r -> JsonPath.from(r.body()).getString("entryId")).distinct()).hasSize(1);
        given().get("/api/profiles/" + profile + "/loyalty").then().body("balance", is(30));
        given().contentType("application/json").header("Idempotency-Key", key)
                .body("{\"points\":25,\"channel\":\"app\"}")
                .post("/api/profiles/" + profile + "/loyalty/redemptions").then().statusCode(422)
                .contentType("application/problem+json");
    }

    @Test
    void pointsSpentWhileMergedAreCoveredByTheOtherSideOnUnmerge() {
        String run = UUID.randomUUID().toString();
        String web = Api.page("web", "w-" + run);
        String app = order("app", "a-" + run, "100", "EUR", "merge-" + run);
        accepted("""
                {"type":"identify","channel":"web","identifiers":{"anonymousId":"w-%s","userId":"u-%s"}}
                """.formatted(run, run));
        ingest("""
                {"type":"identify","channel":"app","identifiers":{"loyaltyId":"a-%s","userId":"u-%s"}}
                """.formatted(run, run)).body("results[0].profileId", is(web));
        given().contentType("application/json").body("{\"points\":80,\"channel\":\"web\"}")
                .post("/api/profiles/" + web + "/loyalty/redemptions").then().statusCode(201).body("balance", is(20));
        String mergeId = given().get("/api/profiles/" + web + "/merges").then().extract().path("merges[0].mergeId");

        given().contentType("application/json").body("{\"mergeId\":\"" + mergeId + "\"}")
                .post("/api/profiles/" + web + "/unmerge").then().statusCode(200);

        given().get("/api/profiles/" + web + "/loyalty").then().body("balance", is(0))
                .body("ledger[0].kind", is("transfer")).body("ledger[0].points", is(80));
        given().get("/api/profiles/" + app + "/loyalty").then().body("balance", is(20))
                .body("ledger[0].kind", is("transfer")).body("ledger[0].points", is(-80));
    }

    private static String order(String channel, String loyaltyId, String value, String currency, String orderId) {
        return accepted("""
                {"type":"track","event":"order_completed","channel":"%s","identifiers":{"loyaltyId":"%s"},
                 "value":%s,"currency":"%s","properties":{"orderId":"%s"}}""".formatted(channel, loyaltyId, value,
                currency, orderId));
    }
}
