package dev.omni.profile;

import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class BadInputTest {

    @Test
    void invalidEventIsAProblemNamingItsFields() {
        given().contentType("application/json")
                .body("""
                        {"type":"shout","channel":"web","identifiers":{"email":"not-an-email","shoeSize":"42"}}
                        """)
                .post("/api/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("violations.field", hasItems("type", "identifiers.email", "identifiers.shoeSize"));
    }

    @Test
    void unknownChannelNamesTheField() {
        given().contentType("application/json")
                .body("{\"type\":\"page\",\"channel\":\"fax\",\"identifiers\":{\"anonymousId\":\"x1\"}}")
                .post("/api/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("channel"))
                .body("violations.find { it.field == 'channel' }.message", containsString("call_centre"));
    }

    @Test
    void malformedJsonIsAProblemNotAServerError() {
        given().contentType("application/json").body("{\"type\": \"track\", ")
                .post("/api/events")
                .then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void validEventsOfABatchAreAcceptedBesideInvalidOnes() {
        given().contentType("application/json")
                .body("""
                        [{"type":"page","channel":"web","identifiers":{"anonymousId":"b-%s"}},
                         {"type":"track","channel":"web","identifiers":{"anonymousId":"b-2"}}]
                        """.formatted(UUID.randomUUID()))
                .post("/api/events")
                .then().statusCode(202)
                .body("accepted", is(1))
                .body("rejected", is(1))
                .body("results[1].status", is("REJECTED"))
                .body("results[1].violations[0].field", is("[1].event"));
    }

    @Test
    void batchItemsThatAreNotObjectsAreNamedNotAServerError() {
        given().contentType("application/json").body("[null, 1, \"x\", []]")
                .post("/api/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItems("[0]", "[1]", "[2]", "[3]"))
                .body("violations[0].message", is("must be an event object"));
    }

    @Test
    void oversizedBatchIsRejectedWhole() {
        String event = "{\"type\":\"page\",\"channel\":\"web\",\"identifiers\":{\"anonymousId\":\"o-1\"}}";
        String batch = "[" + String.join(",", java.util.Collections.nCopies(501, event)) + "]";
        given().contentType("application/json").body(batch)
                .post("/api/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("500"));
        given().queryParam("identifierType", "anonymousId").queryParam("identifier", "o-1")
                .get("/api/profiles")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void blockedIdentifierValuesIdentifyNoOne() {
        given().contentType("application/json")
                .body("{\"type\":\"page\",\"channel\":\"web\",\"identifiers\":{\"anonymousId\":\" Anonymous \"}}")
                .post("/api/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("identifiers.anonymousId"))
                .body("violations.message", hasItem(containsString("blocked")));
    }

    @Test
    void malformedProfileIdsAndUnknownProfilesAreProblems() {
        given().get("/api/profiles/not-a-uuid").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("id"));
        given().get("/api/profiles/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/api/profiles/" + UUID.randomUUID() + "/loyalty").then().statusCode(404)
                .contentType("application/problem+json");
        given().queryParam("kind", "gossip").get("/api/profiles/" + UUID.randomUUID() + "/timeline")
                .then().statusCode(400).body("violations.field", hasItem("kind"));
    }

    @Test
    void invalidConsentNamesEveryBadField() {
        String profile = Api.page("web", "bad-consent-" + UUID.randomUUID());
        given().contentType("application/json")
                .body("{\"channel\":\"fax\",\"purpose\":\"spam\",\"status\":\"maybe\"}")
                .post("/api/profiles/" + profile + "/consents")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItems("channel", "purpose", "status", "sourceChannel"));
        given().get("/api/profiles/" + profile + "/consents").then().body("history.size()", is(0));
    }

    @Test
    void invalidSegmentNamesTheConditionField() {
        given().contentType("application/json")
                .body("""
                        {"name":"","conditions":[
                          {"type":"interaction","event":"order_completed","count":{"op":"about","value":-1}},
                          {"type":"trait","trait":"tier","op":"eq"},
                          {"type":"interaction","event":"order_completed","within":"a month"},
                          {"type":"horoscope"}]}""")
                .post("/api/segments")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItems("name", "conditions[0].count.op", "conditions[0].count.value",
                        "conditions[1].value", "conditions[2].within", "conditions[3].type"));
        given().get("/api/segments").then().body("size()", is(0));
    }

    @Test
    void invalidRedemptionAndContinuityAreProblems() {
        String profile = Api.page("web", "bad-loyalty-" + UUID.randomUUID());
        given().contentType("application/json").body("{\"points\":0}")
                .post("/api/profiles/" + profile + "/loyalty/redemptions")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItems("points", "channel"));
        given().contentType("application/json").body("{\"points\":\"lots\",\"channel\":\"web\"}")
                .post("/api/profiles/" + profile + "/loyalty/redemptions")
                .then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType("application/json").body("{\"points\":5,\"channel\":\"web\"}")
                .post("/api/profiles/" + profile + "/loyalty/redemptions")
                .then().statusCode(409)
                .contentType("application/problem+json");
        given().contentType("application/json").body("{\"quantity\":0,\"channel\":\"web\"}")
                .put("/api/profiles/" + profile + "/cart/SKU-1")
                .then().statusCode(400)
                .body("violations.field", hasItem("quantity"));
        given().contentType("application/json").body("{\"channel\":\"web\"}")
                .put("/api/profiles/" + profile + "/favourites/bad sku!")
                .then().statusCode(400)
                .body("violations.field", hasItem("sku"));
        given().contentType("application/json").body("{\"mergeId\":\"" + UUID.randomUUID() + "\"}")
                .post("/api/profiles/" + profile + "/unmerge")
                .then().statusCode(404)
                .contentType("application/problem+json");
    }
}
