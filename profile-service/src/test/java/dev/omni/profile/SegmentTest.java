package dev.omni.profile;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.Topics;
import dev.omni.contracts.profile.SegmentMembershipChanged;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.omni.profile.Api.accepted;
import static dev.omni.profile.Api.published;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Segments evaluated as events arrive and as windows lapse. Windows are seconds long and the sweep runs every second
 * in tests ({@code %test.omni.segments.sweep-interval}).
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SegmentTest {

    private static final Duration LAPSE = Duration.ofSeconds(20);

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void aProfileEntersOnArrivalAndExitsWhenTheWindowLapses() {
        String segment = create("""
                {"name":"browsing-jackets-%s","conditions":[
                  {"type":"interaction","event":"jacket_viewed","channel":"app","count":{"op":"gte","value":2},"within":"PT6S"}]}
                """.formatted(UUID.randomUUID()));
        String device = "seg-" + UUID.randomUUID();
        String profile = view(device, "app");
        given().get("/api/segments/" + segment + "/members").then().body("members", empty());
        view(device, "web");
        given().get("/api/segments/" + segment + "/members").then().body("members", empty());
        view(device, "app");

        given().get("/api/segments/" + segment + "/members").then().statusCode(200)
                .body("members.profileId", contains(profile));
        given().get("/api/profiles/" + profile).then().body("segments.id", contains(segment));

        await().atMost(LAPSE).untilAsserted(() -> given().get("/api/segments/" + segment + "/members")
                .then().body("members", empty()));
        List<CloudEvent<?>> changes = published(kafka, Topics.PROFILES, profile,
                events -> events.stream().anyMatch(e -> e.type().equals("omni.profile.segment-exited")));
        assertThat(changes).filteredOn(e -> e.type().startsWith("omni.profile.segment-"))
                .extracting(CloudEvent::type)
                .containsExactly("omni.profile.segment-entered", "omni.profile.segment-exited");
        assertThat(((SegmentMembershipChanged) changes.stream().filter(e -> e.type().endsWith("entered")).findFirst()
                .orElseThrow().data()).segmentId()).isEqualTo(segment);
    }

    @Test
    void didNotHappenWithinAWindowEntersWhenTheLastOneAgesOut() {
        String segment = create("""
                {"name":"gold-without-recent-order-%s","match":"all","conditions":[
                  {"type":"trait","trait":"tier","op":"eq","value":"gold"},
                  {"type":"interaction","event":"order_completed","withinDays":1,"happened":false}]}
                """.formatted(UUID.randomUUID()));
        String quiet = "quiet-" + UUID.randomUUID() + "@example.com";
        String buyer = "buyer-" + UUID.randomUUID() + "@example.com";
        String quietProfile = identify(quiet, "gold");
        String buyerProfile = identify(buyer, "gold");
        String silver = identify("silver-" + UUID.randomUUID() + "@example.com", "silver");
        accepted("""
                {"type":"track","event":"order_completed","channel":"web","identifiers":{"email":"%s"},
                 "value":10,"currency":"EUR","properties":{"orderId":"%s"}}""".formatted(buyer, UUID.randomUUID()));

        given().get("/api/segments/" + segment + "/members").then()
                .body("members.profileId", hasItem(quietProfile))
                .body("members.profileId", not(hasItem(buyerProfile)))
                .body("members.profileId", not(hasItem(silver)));

        // an order placed two days ago (sent late, e.g. from an offline till) is outside the window
        String late = "late-" + UUID.randomUUID() + "@example.com";
        String lateProfile = identify(late, "gold");
        accepted("""
                {"type":"track","event":"order_completed","channel":"pos","identifiers":{"email":"%s"},
                 "timestamp":"%s","value":10,"currency":"EUR"}""".formatted(late,
                Instant.now().minus(Duration.ofDays(2))));
        given().get("/api/segments/" + segment + "/members").then().body("members.profileId", hasItem(lateProfile));
    }

    @Test
    void theLapseOfAnOrderBringsACustomerBackIntoADidNotHappenSegment() {
        String segment = create("""
                {"name":"lapsed-buyers-%s","conditions":[
                  {"type":"interaction","event":"order_completed","within":"PT3S","happened":false},
                  {"type":"location","country":"fr"}]}""".formatted(UUID.randomUUID()));
        String email = "lapsing-" + UUID.randomUUID() + "@example.com";
        String profile = accepted("""
                {"type":"identify","channel":"web","identifiers":{"email":"%s"},"traits":{"country":"FR"}}
                """.formatted(email));
        given().get("/api/segments/" + segment + "/members").then().body("members.profileId", contains(profile));
        accepted("""
                {"type":"track","event":"order_completed","channel":"web","identifiers":{"email":"%s"},
                 "value":10,"currency":"EUR"}""".formatted(email));
        given().get("/api/segments/" + segment + "/members").then().body("members", empty());

        await().atMost(LAPSE).untilAsserted(() -> given().get("/api/segments/" + segment + "/members")
                .then().body("members.profileId", contains(profile)));
        List<CloudEvent<?>> changes = published(kafka, Topics.PROFILES, profile,
                events -> events.stream().filter(e -> e.type().equals("omni.profile.segment-entered")).count() == 2);
        assertThat(changes).filteredOn(e -> e.type().startsWith("omni.profile.segment-")).extracting(CloudEvent::type)
                .containsExactly("omni.profile.segment-entered", "omni.profile.segment-exited",
                        "omni.profile.segment-entered");
    }

    @Test
    void aNewSegmentIsBackfilledFromExistingProfiles() {
        String city = "Lyon-" + UUID.randomUUID();
        String lyon = accepted("""
                {"type":"identify","channel":"store","identifiers":{"email":"%s@example.com"},
                 "traits":{"city":"%s","latitude":45.764,"longitude":4.8357}}""".formatted(UUID.randomUUID(), city));
        String segment = create("""
                {"name":"near-lyon-%s","match":"any","conditions":[
                  {"type":"location","city":"%s"},
                  {"type":"location","near":{"latitude":45.75,"longitude":4.85,"radiusKm":5}}]}
                """.formatted(UUID.randomUUID(), city.toLowerCase()));

        await().atMost(LAPSE).untilAsserted(() -> given().get("/api/segments/" + segment).then()
                .body("backfilled", is(true)));
        given().get("/api/segments/" + segment + "/members").then().body("members.profileId", hasItem(lyon));
    }

    @Test
    void definitionsAreManagedThroughTheApi() {
        String name = "vip-" + UUID.randomUUID();
        String body = """
                {"name":"%s","description":"Big spenders","conditions":[
                  {"type":"trait","trait":"lifetimeValue","op":"gte","value":1000}]}""".formatted(name);
        String id = given().contentType("application/json").header("Idempotency-Key", name).body(body)
                .post("/api/segments").then().statusCode(201)
                .body("name", is(name))
                .body("match", is("all"))
                .body("conditions[0].op", is("gte"))
                .extract().path("id");
        given().contentType("application/json").header("Idempotency-Key", name).body(body)
                .post("/api/segments").then().statusCode(201).body("id", is(id));
        given().contentType("application/json").body(body).post("/api/segments").then().statusCode(409);
        given().get("/api/segments").then().statusCode(200).body("name", hasItem(name));

        given().contentType("application/json").body("""
                {"name":"%s","conditions":[{"type":"interaction","event":"order_completed","withinDays":30,
                 "count":{"op":"gte","value":3}}]}""".formatted(name))
                .put("/api/segments/" + id).then().statusCode(200)
                .body("conditions[0].within", is("P30D"))
                .body("conditions[0].count.value", is(3));
        given().delete("/api/segments/" + id).then().statusCode(204);
        given().get("/api/segments/" + id).then().statusCode(404).contentType("application/problem+json");
    }

    private static String create(String body) {
        return given().contentType("application/json").body(body).post("/api/segments").then().statusCode(201)
                .extract().path("id");
    }

    private static String view(String device, String channel) {
        return accepted("""
                {"type":"track","event":"jacket_viewed","channel":"%s","identifiers":{"anonymousId":"%s"}}
                """.formatted(channel, device));
    }

    private static String identify(String email, String tier) {
        return accepted("""
                {"type":"identify","channel":"web","identifiers":{"email":"%s"},"traits":{"tier":"%s"}}
                """.formatted(email, tier));
    }
}
