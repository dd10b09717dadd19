package dev.omni.profile;

import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.omni.profile.Api.accepted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/**
 * {@code POST /api/segments/preview}: who a definition would hold now, by the same evaluation as stored segments,
 * with nothing saved. Each test works in a city of its own, so the counts are exact on the class's shared database.
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SegmentPreviewTest {

    private static final Duration BACKFILL = Duration.ofSeconds(20);

    @Test
    void countsTheCustomersADefinitionWouldHoldAndSavesNothing() {
        String city = "Preview-" + UUID.randomUUID();
        Customer webBuyer = customer(city).ordered("web", null);
        Customer tillBuyer = customer(city).ordered("pos", null);
        Customer browser = customer(city);
        Customer elsewhere = customer("Elsewhere-" + UUID.randomUUID()).ordered("web", null);
        Customer longAgo = customer(city).ordered("web", Instant.now().minus(Duration.ofDays(40)));
        String definition = """
                {"conditions":[
                  {"type":"location","city":"%s"},
                  {"type":"interaction","event":"order_completed","within":"P30D","count":{"op":"gte","value":1}}]}
                """.formatted(city.toLowerCase());
        List<String> segmentsBefore = given().get("/api/segments").then().extract().path("name");

        List<String> sample = preview(definition).statusCode(200)
                .body("count", is(2))
                .extract().path("sample");

        assertThat(sample).containsExactlyInAnyOrder(webBuyer.profileId(), tillBuyer.profileId());
        assertThat(List.of(browser.profileId(), elsewhere.profileId(), longAgo.profileId()))
                .doesNotContainAnyElementsOf(sample);
        // nothing saved: no segment, no membership
        assertThat(given().get("/api/segments").then().extract().<List<String>>path("name"))
                .isEqualTo(segmentsBefore);
        given().get("/api/profiles/" + webBuyer.profileId()).then().body("segments", empty());

        // the same definition stored holds the same customers, in the same order
        String segment = create(definition);
        assertThat(backfilledMembers(segment)).isEqualTo(sample);
    }

    @Test
    void anyMatchAndTraitConditionsAreEvaluatedAsForStoredSegments() {
        String city = "Either-" + UUID.randomUUID();
        String tier = "tier-" + UUID.randomUUID();
        String inCity = customer(city).profileId();
        String ofTier = accepted("""
                {"type":"identify","channel":"web","identifiers":{"email":"%s@example.com"},"traits":{"tier":"%s"}}
                """.formatted(UUID.randomUUID(), tier));
        customer("Neither-" + UUID.randomUUID());
        String definition = """
                {"name":"either-%s","match":"any","conditions":[
                  {"type":"location","city":"%s"},
                  {"type":"trait","trait":"tier","op":"eq","value":"%s"}]}""".formatted(city, city, tier);

        List<String> sample = preview(definition).statusCode(200).body("count", is(2)).extract().path("sample");

        assertThat(sample).containsExactlyInAnyOrder(inCity, ofTier);
        assertThat(backfilledMembers(create(definition))).isEqualTo(sample);
    }

    /** Interaction conditions that zero interactions cannot meet narrow who is evaluated, not who matches. */
    @Test
    void interactionConditionsGiveTheSameMembersWhetherTheyNarrowTheCustomersOrNot() {
        String city = "Narrow-" + UUID.randomUUID();
        String viewed = "viewed_" + UUID.randomUUID().toString().substring(0, 8);
        String liked = "liked_" + UUID.randomUUID().toString().substring(0, 8);
        Customer twiceOnApp = customer(city).did(viewed, "app").did(viewed, "app");
        Customer liker = customer(city).did(liked, "web");
        Customer onceOnWeb = customer(city).did(viewed, "web");
        Customer idle = customer(city);

        String either = """
                {"match":"any","conditions":[
                  {"type":"interaction","event":"%s","channel":"app","count":{"op":"gte","value":2}},
                  {"type":"interaction","event":"%s","withinDays":1}]}""".formatted(viewed, liked);
        assertThat(previewed(either, 2)).containsExactlyInAnyOrder(twiceOnApp.profileId(), liker.profileId());
        String viewersHere = """
                {"conditions":[{"type":"interaction","event":"%s"},{"type":"location","city":"%s"}]}
                """.formatted(viewed, city);
        assertThat(previewed(viewersHere, 2)).containsExactlyInAnyOrder(twiceOnApp.profileId(), onceOnWeb.profileId());
        String nonViewersHere = """
                {"conditions":[{"type":"interaction","event":"%s","happened":false},{"type":"location","city":"%s"}]}
                """.formatted(viewed, city);
        assertThat(previewed(nonViewersHere, 2)).containsExactlyInAnyOrder(liker.profileId(), idle.profileId());
    }

    @Test
    void theSampleHoldsTheFirstTenMembers() {
        String city = "Crowded-" + UUID.randomUUID();
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            customers.add(customer(city).profileId());
        }
        String definition = """
                {"conditions":[{"type":"location","city":"%s"}]}""".formatted(city);

        List<String> sample = preview(definition).statusCode(200).body("count", is(12)).extract().path("sample");

        assertThat(sample).hasSize(10).isSubsetOf(customers);
        assertThat(sample).isEqualTo(backfilledMembers(create(definition)).subList(0, 10));
    }

    @Test
    void aBadDefinitionIsRefusedWithTheSameProblemsAsACreation() {
        String bad = """
                {"name":"","conditions":[
                  {"type":"interaction","event":"order_completed","count":{"op":"about","value":-1}},
                  {"type":"trait","trait":"tier","op":"eq"},
                  {"type":"interaction","event":"order_completed","within":"a month"},
                  {"type":"horoscope"}]}""";
        preview(bad).statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItems("name", "conditions[0].count.op", "conditions[0].count.value",
                        "conditions[1].value", "conditions[2].within", "conditions[3].type"));
        preview("{\"match\":\"some\",\"conditions\":[]}").statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItems("match", "conditions"));
        preview("[1, 2]").statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItems("body"));
        // the name may be left out of a preview, not out of a creation
        String unnamed = "{\"conditions\":[{\"type\":\"trait\",\"trait\":\"tier\",\"op\":\"exists\"}]}";
        preview(unnamed).statusCode(200);
        given().contentType("application/json").body(unnamed).post("/api/segments").then().statusCode(400)
                .body("violations.field", hasItems("name"));
    }

    /** The sample of a preview expected to count {@code count}; the stored segment must hold the same customers. */
    private static List<String> previewed(String definition, int count) {
        List<String> sample = preview(definition).statusCode(200).body("count", is(count)).extract().path("sample");
        assertThat(backfilledMembers(create(definition))).isEqualTo(sample);
        return sample;
    }

    private static ValidatableResponse preview(String body) {
        return given().contentType("application/json").body(body).post("/api/segments/preview").then();
    }

    private static String create(String body) {
        String named = body.contains("\"name\"") ? body
                : body.replaceFirst("\\{", "{\"name\":\"stored-" + UUID.randomUUID() + "\",");
        return given().contentType("application/json").body(named).post("/api/segments").then().statusCode(201)
                .extract().path("id");
    }

    /** The stored segment's members once every existing customer was evaluated, in the API's order. */
    private static List<String> backfilledMembers(String segment) {
        await().atMost(BACKFILL).untilAsserted(() -> given().get("/api/segments/" + segment).then()
                .body("backfilled", is(true)));
        return given().get("/api/segments/" + segment + "/members").then().statusCode(200)
                .extract().path("members.profileId");
    }

    private static Customer customer(String city) {
        String email = UUID.randomUUID() + "@example.com";
        return new Customer(email, accepted("""
                {"type":"identify","channel":"web","identifiers":{"email":"%s"},"traits":{"city":"%s"}}
                """.formatted(email, city)));
    }

    private record Customer(String email, String profileId) {

        Customer did(String event, String channel) {
            accepted("""
                    {"type":"track","event":"%s","channel":"%s","identifiers":{"email":"%s"}}""".formatted(event,
                    channel, email));
            return this;
        }

        /** An order on {@code channel}, now or at {@code at}. */
        Customer ordered(String channel, Instant at) {
            accepted("""
                    {"type":"track","event":"order_completed","channel":"%s","identifiers":{"email":"%s"},
                     %s"value":25,"currency":"EUR","properties":{"orderId":"%s"}}""".formatted(channel, email,
                    at == null ? "" : "\"timestamp\":\"" + at + "\",", UUID.randomUUID()));
            return this;
        }
    }
}
