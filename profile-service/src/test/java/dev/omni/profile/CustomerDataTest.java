package dev.omni.profile;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.Topics;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.profile.ConsentChanged;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.omni.profile.Api.accepted;
import static dev.omni.profile.Api.hasType;
import static dev.omni.profile.Api.ofType;
import static dev.omni.profile.Api.published;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** What a profile holds besides identity: traits, consents, continuity, support notes, the 360 view, erasure. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class CustomerDataTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Inject
    Pool pool;

    @Test
    void identifyUpdatesTraitsAndANullTraitRemovesIt() {
        String email = "traits." + UUID.randomUUID() + "@example.com";
        String profile = accepted("""
                {"type":"identify","channel":"web","identifiers":{"email":"%s"},
                 "traits":{"firstName":"Anna","tier":"silver","city":"Lyon"}}""".formatted(email));
        accepted("""
                {"type":"identify","channel":"app","identifiers":{"email":"%s"},"traits":{"tier":"gold","city":null}}
                """.formatted(email));

        given().get("/api/profiles/" + profile).then().statusCode(200)
                .body("traits.firstName", is("Anna"))
                .body("traits.tier", is("gold"))
                .body("traits", not(hasKey("city")));
    }

    @Test
    void consentsKeepTheirHistoryAndPublishEachChange() {
        String profile = Api.page("web", "consent-" + UUID.randomUUID());
        String grant = """
                {"channel":"email","purpose":"marketing","status":"granted","sourceChannel":"web",
                 "proof":"Ticked 'Send me offers' on the checkout page v12"}""";
        String key = UUID.randomUUID().toString();
        given().contentType("application/json").header("Idempotency-Key", key).body(grant)
                .post("/api/profiles/" + profile + "/consents").then().statusCode(201)
                .body("current.status", contains("granted"));
        given().contentType("application/json").header("Idempotency-Key", key).body(grant)
                .post("/api/profiles/" + profile + "/consents").then().statusCode(201)
                .body("history.size()", is(1));
        given().contentType("application/json").body("""
                {"channel":"sms","purpose":"transactional","status":"denied","sourceChannel":"store"}""")
                .post("/api/profiles/" + profile + "/consents").then().statusCode(201);
        given().contentType("application/json").body("""
                {"channel":"email","purpose":"marketing","status":"revoked","sourceChannel":"call_centre",
                 "proof":"Asked the agent to stop the newsletter"}""")
                .post("/api/profiles/" + profile + "/consents").then().statusCode(201);

        given().get("/api/profiles/" + profile + "/consents").then().statusCode(200)
                .body("current.find { it.channel == 'email' }.status", is("revoked"))
                .body("current.find { it.channel == 'sms' }.status", is("denied"))
                .body("history.size()", is(3))
                .body("history.proof", hasItem("Ticked 'Send me offers' on the checkout page v12"));
        // revoking what is not granted makes no sense
        given().contentType("application/json").body("""
                {"channel":"email","purpose":"marketing","status":"revoked","sourceChannel":"web"}""")
                .post("/api/profiles/" + profile + "/consents").then().statusCode(409)
                .contentType("application/problem+json");

        List<CloudEvent<?>> changes = ofType(published(kafka, Topics.PROFILES, profile,
                events -> ofType(events, "omni.profile.consent-changed").size() >= 3), "omni.profile.consent-changed");
        assertThat(changes).extracting(e -> ((ConsentChanged) e.data()).status())
                .containsExactly("granted", "denied", "revoked");
        assertThat(((ConsentChanged) changes.get(2).data()).sourceChannel()).isEqualTo("call_centre");
    }

    @Test
    void advertisingConsentIsAChannelOfItsOwnForRetargetingAudiences() {
        String profile = Api.page("web", "ads-" + UUID.randomUUID());
        given().contentType("application/json").body("""
                {"channel":"advertising","purpose":"marketing","status":"granted","sourceChannel":"web",
                 "proof":"Accepted 'personalised ads' in the cookie banner v3"}""")
                .post("/api/profiles/" + profile + "/consents").then().statusCode(201);
        given().get("/api/profiles/" + profile + "/consents").then().statusCode(200)
                .body("current.find { it.channel == 'advertising' }.status", is("granted"))
                .body("current.find { it.channel == 'email' }", nullValue());
        given().contentType("application/json").body("""
                {"channel":"billboard","purpose":"marketing","status":"granted","sourceChannel":"web"}""")
                .post("/api/profiles/" + profile + "/consents").then().statusCode(400)
                .body("violations[0].field", is("channel"))
                .body("violations[0].message", containsString("advertising"));
    }

    @Test
    void whatTheWebShopWritesTheAppReads() {
        String email = "continuity." + UUID.randomUUID() + "@example.com";
        String device = "app-" + UUID.randomUUID();
        String profile = accepted("""
                {"type":"identify","channel":"web","identifiers":{"email":"%s"}}""".formatted(email));
        given().contentType("application/json").body("{\"channel\":\"web\"}")
                .put("/api/profiles/" + profile + "/favourites/SNK-RUNNER-42").then().statusCode(200);
        given().contentType("application/json").body("{\"quantity\":1,\"channel\":\"web\"}")
                .put("/api/profiles/" + profile + "/cart/TEE-BASIC-M").then().statusCode(200);
        given().contentType("application/json").body("{\"quantity\":3,\"channel\":\"web\"}")
                .put("/api/profiles/" + profile + "/cart/TEE-BASIC-M").then().statusCode(200);
        given().contentType("application/json").body("{\"quantity\":1,\"channel\":\"web\"}")
                .put("/api/profiles/" + profile + "/cart/SOCKS-3P").then().statusCode(200);
        given().delete("/api/profiles/" + profile + "/cart/SOCKS-3P").then().statusCode(200);

        // the app knows the customer by her email, and sees the same lists; its views add to them
        String appProfile = accepted("""
                {"type":"track","event":"product_viewed","channel":"app","identifiers":{"anonymousId":"%s","email":"%s"},
                 "properties":{"sku":"JKT-RAIN-L"}}""".formatted(device, email));
        assertThat(appProfile).isEqualTo(profile);
        given().queryParam("identifierType", "anonymousId").queryParam("identifier", device).get("/api/profiles")
                .then().body("id", is(profile));
        given().get("/api/profiles/" + profile + "/continuity").then().statusCode(200)
                .body("favourites.sku", contains("SNK-RUNNER-42"))
                .body("favourites[0].channel", is("web"))
                .body("cart.sku", contains("TEE-BASIC-M"))
                .body("cart[0].quantity", is(3))
                .body("recentlyViewed.sku", contains("JKT-RAIN-L"))
                .body("recentlyViewed[0].channel", is("app"));
        // the cart page and the favourites list read their part alone (the gateway's /api/me and /api/me/cart do)
        given().get("/api/profiles/" + profile + "/cart").then().statusCode(200)
                .body("profileId", is(profile))
                .body("lines.sku", contains("TEE-BASIC-M"))
                .body("lines[0].quantity", is(3));
        given().get("/api/profiles/" + profile + "/favourites").then().statusCode(200)
                .body("items.sku", contains("SNK-RUNNER-42"));
    }

    @Test
    void theNextAgentReadsWhatWasSaid() {
        String profile = Api.page("web", "support-" + UUID.randomUUID());
        String contact = given().contentType("application/json")
                .header("Idempotency-Key", "open-" + profile)
                .body("""
                        {"channel":"call_centre","topic":"Parcel not delivered","note":"Order 1042 stuck at depot; carrier chased","agent":"jo"}""")
                .post("/api/profiles/" + profile + "/support-contacts").then().statusCode(201)
                .body("status", is("open"))
                .extract().path("id");
        given().contentType("application/json").body("""
                {"channel":"chat","status":"resolved","note":"Delivered today, customer confirmed","agent":"sam"}""")
                .patch("/api/profiles/" + profile + "/support-contacts/" + contact).then().statusCode(200)
                .body("status", is("resolved"))
                .body("notes.text", contains("Order 1042 stuck at depot; carrier chased",
                        "Delivered today, customer confirmed"));

        given().get("/api/profiles/" + profile + "/support-contacts").then().statusCode(200)
                .body("[0].topic", is("Parcel not delivered"))
                .body("[0].notes.channel", contains("call_centre", "chat"));
        given().queryParam("kind", "support").get("/api/profiles/" + profile + "/timeline").then().statusCode(200)
                .body("name", contains("support_followed_up", "support_contacted"))
                .body("details.note", contains("Delivered today, customer confirmed",
                        "Order 1042 stuck at depot; carrier chased"))
                .body("channel", contains("chat", "call_centre"));
        // the contact is an interaction for the other services, without what was said
        CloudEvent<?> interaction = published(kafka, Topics.INTERACTIONS, profile,
                events -> events.stream().anyMatch(e -> "support_contacted".equals(((InteractionRecorded) e.data()).event())))
                .stream().filter(e -> "support_contacted".equals(((InteractionRecorded) e.data()).event())).findFirst()
                .orElseThrow();
        assertThat(((InteractionRecorded) interaction.data()).properties()).containsEntry("topic", "Parcel not delivered")
                .doesNotContainKey("note");
    }

    @Test
    void theViewShowsEverythingAChannelNeedsAboutTheCustomer() {
        String email = "view." + UUID.randomUUID() + "@example.com";
        String profile = accepted("""
                {"type":"identify","channel":"web","identifiers":{"email":"%s","phone":"+33 6 12 34 56 78"},
                 "traits":{"firstName":"Chloé"}}""".formatted(email));
        accepted("""
                {"type":"track","event":"order_completed","channel":"store","identifiers":{"email":"%s"},
                 "value":25.00,"currency":"EUR","properties":{"orderId":"view-%s"}}""".formatted(email, profile));
        given().contentType("application/json").body("""
                {"channel":"sms","purpose":"marketing","status":"granted","sourceChannel":"store"}""")
                .post("/api/profiles/" + profile + "/consents").then().statusCode(201);

        given().get("/api/profiles/" + profile).then().statusCode(200)
                .body("identifiers.type", containsInAnyOrder("email", "phone"))
                .body("identifiers.value", hasItem("+33612345678"))
                .body("consents[0].channel", is("sms"))
                .body("consents[0].status", is("granted"))
                .body("segments", empty())
                .body("loyalty.balance", is(50))
                .body("lastInteractions.channel", contains("store", "web"))
                .body("lastInteractions[0].name", is("order_completed"))
                .body("createdAt", notNullValue());
    }

    /**
     * Reads never write: a 360 view loaded the group's profiles and, on the next query, Hibernate's auto-flush wrote
     * them back unchanged (a JSON column is dirty-checked by value) — a row lock per read, so the storefront's reads
     * queued behind ingestion holding the customer's row.
     */
    @Test
    void readingACustomerWritesNothing() {
        String email = "reader." + UUID.randomUUID() + "@example.com";
        String anonymousId = "anon-" + UUID.randomUUID();
        String profile = accepted("""
                {"type":"identify","channel":"web","identifiers":{"email":"%s"},
                 "traits":{"firstName":"Ines","address":{"city":"Porto","zip":"4000"},"tags":["vip",3,2.5,true]}}
                """.formatted(email));
        accepted("""
                {"type":"page","channel":"app","identifiers":{"anonymousId":"%s"}}""".formatted(anonymousId));
        accepted("""
                {"type":"identify","channel":"app","identifiers":{"anonymousId":"%s","email":"%s"}}
                """.formatted(anonymousId, email));
        List<String> before = rowVersions(profile);
        assertThat(before).hasSize(2);

        for (String part : List.of("", "/cart", "/favourites", "/continuity", "/loyalty", "/consents", "/timeline")) {
            given().get("/api/profiles/" + profile + part).then().statusCode(200);
        }
        given().queryParam("identifierType", "email").queryParam("identifier", email)
                .get("/api/profiles").then().statusCode(200).body("id", is(profile));

        assertThat(rowVersions(profile)).isEqualTo(before);
    }

    @Test
    void aMergedCustomersTimelineAndLastInteractionsSpanTheWholeGroup() {
        String email = "span." + UUID.randomUUID() + "@example.com";
        String anonymousId = "anon-" + UUID.randomUUID();
        String profile = accepted("""
                {"type":"track","event":"product_viewed","channel":"web","identifiers":{"email":"%s"},
                 "timestamp":"2026-01-01T10:00:00Z"}""".formatted(email));
        accepted("""
                {"type":"track","event":"product_viewed","channel":"web","identifiers":{"anonymousId":"%s"},
                 "timestamp":"2026-01-02T10:00:00Z"}""".formatted(anonymousId));
        accepted("""
                {"type":"track","event":"store_visit","channel":"store","identifiers":{"email":"%s"},
                 "timestamp":"2026-01-03T10:00:00Z"}""".formatted(email));
        accepted("""
                {"type":"identify","channel":"app","identifiers":{"anonymousId":"%s","email":"%s"},
                 "timestamp":"2026-01-04T10:00:00Z"}""".formatted(anonymousId, email));

        given().get("/api/profiles/" + profile).then().statusCode(200)
                .body("mergedProfileIds", hasSize(1))
                .body("lastInteractions.channel", contains("app", "store", "web"))
                .body("lastInteractions.occurredAt", contains("2026-01-04T10:00:00Z", "2026-01-03T10:00:00Z",
                        "2026-01-02T10:00:00Z"))
                .body("timeline.name", contains("identify", "store_visit", "product_viewed", "product_viewed"));
        given().queryParam("limit", 2).get("/api/profiles/" + profile + "/timeline").then().statusCode(200)
                .body("occurredAt", contains("2026-01-04T10:00:00Z", "2026-01-03T10:00:00Z"));
        given().queryParam("kind", "support").get("/api/profiles/" + profile + "/timeline").then().statusCode(200)
                .body("", empty());
    }

    /** Each row's {@code xmin} of the customer's group: it changes with every write of the row. */
    private List<String> rowVersions(String survivor) {
        List<String> versions = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT id::text || ':' || xmin::text AS version FROM profile "
                + "WHERE survivor_id = $1 ORDER BY id").execute(Tuple.of(UUID.fromString(survivor))).await().indefinitely()) {
            versions.add(row.getString("version"));
        }
        return versions;
    }

    @Test
    void erasureRemovesPersonalDataAndIdentifiersAndTellsTheOtherServices() {
        String email = "erase." + UUID.randomUUID() + "@example.com";
        String profile = accepted("""
                {"type":"identify","channel":"web","identifiers":{"email":"%s"},"traits":{"firstName":"Eve"}}
                """.formatted(email));
        given().contentType("application/json").body("{\"channel\":\"web\"}")
                .put("/api/profiles/" + profile + "/favourites/SNK-RUNNER-42").then().statusCode(200);

        given().delete("/api/profiles/" + profile).then().statusCode(204);

        given().get("/api/profiles/" + profile).then().statusCode(410).contentType("application/problem+json");
        given().queryParam("identifierType", "email").queryParam("identifier", email).get("/api/profiles")
                .then().statusCode(404);
        given().delete("/api/profiles/" + profile).then().statusCode(204);
        CloudEvent<?> erased = ofType(published(kafka, Topics.PROFILES, profile, hasType("omni.profile.erased")),
                "omni.profile.erased").get(0);
        assertThat(((ProfileErased) erased.data()).profileId()).isEqualTo(profile);
        // the same person coming back is a stranger
        String again = accepted("""
                {"type":"identify","channel":"web","identifiers":{"email":"%s"}}""".formatted(email));
        assertThat(again).isNotEqualTo(profile);
        given().get("/api/profiles/" + again).then().body("traits", anEmptyMap())
                .body("timeline.size()", is(1));
        given().get("/api/profiles/" + again + "/continuity").then().body("favourites", empty());
    }
}
