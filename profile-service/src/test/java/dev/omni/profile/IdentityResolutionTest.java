package dev.omni.profile;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.Topics;
import dev.omni.contracts.profile.Identifier;
import dev.omni.contracts.profile.ProfileCreated;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.contracts.profile.ProfileUnmerged;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.omni.profile.Api.accepted;
import static dev.omni.profile.Api.hasType;
import static dev.omni.profile.Api.ingest;
import static dev.omni.profile.Api.ofType;
import static dev.omni.profile.Api.page;
import static dev.omni.profile.Api.published;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** One customer across devices: merges driven by logins, alias lookups, unmerge, the guards, concurrency. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class IdentityResolutionTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @TestHTTPResource("/api/events")
    URI events;

    @Test
    void loginOnASecondDeviceMergesTheTwoAnonymousProfilesAndUnmergeSplitsThemBack() {
        String run = UUID.randomUUID().toString();
        String webDevice = "web-" + run;
        String appDevice = "app-" + run;
        String userId = "user-" + run;
        String email = "anna." + run + "@example.com";

        String web = page("web", webDevice);
        String app = page("app", appDevice);
        assertThat(app).isNotEqualTo(web);
        given().contentType("application/json").body("{\"channel\":\"web\"}")
                .put("/api/profiles/" + web + "/favourites/SNK-RUNNER-42").then().statusCode(200);
        given().contentType("application/json").body("{\"quantity\":2,\"channel\":\"app\"}")
                .put("/api/profiles/" + app + "/cart/TEE-BASIC-M").then().statusCode(200);

        // she logs in on the web first: the web profile learns who she is
        assertThat(accepted("""
                {"type":"identify","channel":"web","identifiers":{"anonymousId":"%s","userId":"%s","email":"%s"},
                 "traits":{"firstName":"Anna"}}""".formatted(webDevice, userId, email))).isEqualTo(web);

        // then in the app, with the same account: the app profile joins the older web one
        ingest("""
                {"type":"identify","channel":"app","identifiers":{"anonymousId":"%s","userId":"%s","email":"%s"}}
                """.formatted(appDevice, userId, email.toUpperCase()))
                .body("results[0].profileId", is(web))
                .body("results[0].mergedProfileIds", contains(app));

        // every alias resolves to the survivor: the absorbed id, its anonymousId, the shared ones
        given().get("/api/profiles/" + app).then().statusCode(200)
                .body("id", is(web))
                .body("mergedProfileIds", contains(app))
                .body("traits.firstName", is("Anna"))
                .body("identifiers.value", hasItems(webDevice, appDevice, userId, email))
                .body("timeline.channel", hasItems("web", "app"))
                .body("lastInteractions.channel", containsInAnyOrder("web", "app"));
        for (String[] alias : new String[][] {{"anonymousId", appDevice}, {"anonymousId", webDevice},
                {"userId", userId}, {"email", email}}) {
            given().queryParam("identifierType", alias[0]).queryParam("identifier", alias[1]).get("/api/profiles")
                    .then().statusCode(200).body("id", is(web));
        }
        // what each device left is one list now
        given().get("/api/profiles/" + app + "/continuity").then().statusCode(200)
                .body("favourites.sku", contains("SNK-RUNNER-42"))
                .body("cart.sku", contains("TEE-BASIC-M"));

        JsonPath history = given().get("/api/profiles/" + web + "/merges").then().statusCode(200)
                .body("merges.size()", is(1))
                .body("merges[0].survivorProfileId", is(web))
                .body("merges[0].absorbedProfileId", is(app))
                .body("merges[0].absorbedIdentifiers.value", contains(appDevice))
                .body("merges[0].survivorIdentifiers.value", hasItems(webDevice, userId, email))
                .extract().jsonPath();
        String mergeId = history.getString("merges[0].mergeId");

        CloudEvent<?> merged = ofType(published(kafka, Topics.PROFILES, web, hasType("omni.profile.merged")),
                "omni.profile.merged").get(0);
        ProfileMerged mergedData = (ProfileMerged) merged.data();
        assertThat(mergedData.mergeId()).isEqualTo(mergeId);
        assertThat(mergedData.absorbedProfileId()).isEqualTo(app);
        assertThat(mergedData.absorbedIdentifiers()).containsExactly(new Identifier("anonymousId", appDevice));

        // an operator splits them: the app profile gets back exactly what it brought
        given().contentType("application/json").body("{\"mergeId\":\"" + mergeId + "\",\"reason\":\"shared account\"}")
                .post("/api/profiles/" + app + "/unmerge").then().statusCode(200)
                .body("survivorProfileId", is(web))
                .body("restoredProfileId", is(app))
                .body("restoredIdentifiers.value", contains(appDevice));

        given().get("/api/profiles/" + app).then().statusCode(200)
                .body("id", is(app))
                .body("mergedProfileIds", empty())
                .body("identifiers.value", contains(appDevice))
                .body("timeline.channel", not(hasItem("web")));
        given().get("/api/profiles/" + web).then().statusCode(200)
                .body("mergedProfileIds", empty())
                .body("identifiers.value", not(hasItem(appDevice)))
                .body("identifiers.value", hasItems(webDevice, userId, email));
        given().queryParam("identifierType", "anonymousId").queryParam("identifier", appDevice).get("/api/profiles")
                .then().body("id", is(app));
        given().get("/api/profiles/" + app + "/continuity").then()
                .body("favourites", empty()).body("cart.sku", contains("TEE-BASIC-M"));
        given().get("/api/profiles/" + web + "/continuity").then()
                .body("favourites.sku", contains("SNK-RUNNER-42")).body("cart", empty());
        given().get("/api/profiles/" + web + "/merges").then().body("merges[0].unmergeReason", is("shared account"));

        CloudEvent<?> unmerged = ofType(published(kafka, Topics.PROFILES, web, hasType("omni.profile.unmerged")),
                "omni.profile.unmerged").get(0);
        assertThat(((ProfileUnmerged) unmerged.data()).restoredProfileId()).isEqualTo(app);
        assertThat(((ProfileUnmerged) unmerged.data()).restoredIdentifiers())
                .containsExactly(new Identifier("anonymousId", appDevice));

        // undoing twice is a conflict, and the same login does not merge them again behind the operator's back
        given().contentType("application/json").body("{\"mergeId\":\"" + mergeId + "\"}")
                .post("/api/profiles/" + web + "/unmerge").then().statusCode(409)
                .contentType("application/problem+json");
        ingest("""
                {"type":"identify","channel":"app","identifiers":{"anonymousId":"%s","userId":"%s"}}
                """.formatted(appDevice, userId))
                .body("results[0].profileId", is(web))
                .body("results[0].notes[0]", containsString("split apart by an unmerge"));
        given().get("/api/profiles/" + app).then().body("id", is(app));
    }

    @Test
    void aSecondUserOnASharedDeviceGetsTheirOwnProfileAndTheReasonIsRecorded() {
        String run = UUID.randomUUID().toString();
        String kiosk = "kiosk-" + run;
        String first = accepted("""
                {"type":"identify","channel":"store","identifiers":{"anonymousId":"%s","userId":"first-%s"}}
                """.formatted(kiosk, run));
        String second = ingest("""
                {"type":"identify","channel":"store","identifiers":{"anonymousId":"%s","userId":"second-%s"}}
                """.formatted(kiosk, run))
                .body("results[0].notes[0]", containsString("shared device"))
                .extract().path("results[0].profileId");

        assertThat(second).isNotEqualTo(first);
        given().queryParam("identifierType", "anonymousId").queryParam("identifier", kiosk).get("/api/profiles")
                .then().body("id", is(first)).body("identifiers.value", not(hasItem("second-" + run)));
        given().queryParam("identifierType", "userId").queryParam("identifier", "second-" + run).get("/api/profiles")
                .then().body("id", is(second));

        // an email of the first customer given with the second's userId does not merge two userIds
        String email = "first." + run + "@example.com";
        accepted("""
                {"type":"identify","channel":"web","identifiers":{"userId":"first-%s","email":"%s"}}
                """.formatted(run, email));
        ingest("""
                {"type":"track","event":"newsletter_signup","channel":"web",
                 "identifiers":{"userId":"second-%s","email":"%s"}}""".formatted(run, email))
                .body("results[0].profileId", is(second))
                .body("results[0].mergedProfileIds", nullValue())
                .body("results[0].notes[0]", containsString("2 userId identifiers (limit 1)"));
        given().get("/api/profiles/" + second + "/merges").then().statusCode(200)
                .body("merges", empty())
                .body("refusals.reason", hasItem(containsString("shared device")))
                .body("refusals.reason", hasItem(containsString("limit 1")));
        given().get("/api/profiles/" + first).then().body("identifiers.value", hasItem(email));
    }

    @Test
    void concurrentEventsForTheSameNewIdentifierCreateOneProfile() throws Exception {
        String device = "burst-" + UUID.randomUUID();
        List<String> bodies = IntStream.range(0, 12).mapToObj(i -> """
                {"type":"track","event":"product_viewed","channel":"app","identifiers":{"anonymousId":"%s"},
                 "properties":{"sku":"SKU-%d"}}""".formatted(device, i)).toList();

        List<HttpResponse<String>> responses = Api.parallel("POST", events, bodies, null);

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(202));
        Set<String> profiles = responses.stream().map(r -> JsonPath.from(r.body()).getString("results[0].profileId"))
                .collect(Collectors.toSet());
        assertThat(profiles).hasSize(1);
        String profile = profiles.iterator().next();
        given().get("/api/profiles/" + profile).then().body("timeline.size()", is(12));
        List<CloudEvent<?>> created = ofType(published(kafka, Topics.PROFILES, profile,
                hasType("omni.profile.created")), "omni.profile.created");
        assertThat(created).hasSize(1);
        assertThat(((ProfileCreated) created.get(0).data()).identifiers())
                .containsExactly(new Identifier("anonymousId", device));
    }

    @Test
    void concurrentLoginsFromTwoDevicesEndInOneCustomer() throws Exception {
        String run = UUID.randomUUID().toString();
        String phone = page("app", "phone-" + run);
        String tablet = page("app", "tablet-" + run);
        List<String> bodies = IntStream.range(0, 10).mapToObj(i -> """
                {"type":"identify","channel":"app","identifiers":{"anonymousId":"%s-%s","userId":"u-%s"}}
                """.formatted(i % 2 == 0 ? "phone" : "tablet", run, run)).toList();

        List<HttpResponse<String>> responses = Api.parallel("POST", events, bodies, null);

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(202));
        String survivor = given().queryParam("identifierType", "userId").queryParam("identifier", "u-" + run)
                .get("/api/profiles").then().statusCode(200).extract().path("id");
        assertThat(survivor).as("the oldest profile survives").isEqualTo(phone);
        // Each answer names the customer as it stood when that event was resolved: a tablet login that ran before
        // any phone login was answered with the tablet's profile, merged into the phone's a moment later. Whatever
        // an answer said, it must lead to the one surviving customer now.
        assertThat(responses).allSatisfy(r -> {
            String answered = JsonPath.from(r.body()).getString("results[0].profileId");
            assertThat(answered).isIn(phone, tablet);
            given().get("/api/profiles/" + answered).then().statusCode(200).body("id", is(survivor));
        });
        given().get("/api/profiles/" + survivor).then()
                .body("identifiers.value", containsInAnyOrder("phone-" + run, "tablet-" + run, "u-" + run))
                .body("mergedProfileIds.size()", is(1));
        given().get("/api/profiles/" + survivor + "/merges").then().body("merges.size()", is(1));
    }

    /**
     * Two visitors first seen in one batch are created in the same instant: the one that came first in the
     * batch is still the older, so it survives when a login later links them (whichever device comes first).
     */
    @Test
    void visitorsFirstSeenInOneBatchMergeIntoTheOneSeenFirst() {
        for (int round = 0; round < 6; round++) {
            String run = UUID.randomUUID().toString();
            String first = (round % 2 == 0 ? "web-" : "app-") + run;
            String second = (round % 2 == 0 ? "app-" : "web-") + run;
            List<String> created = given().contentType("application/json").body("""
                            [{"type":"page","channel":"web","identifiers":{"anonymousId":"%s"}},
                             {"type":"page","channel":"app","identifiers":{"anonymousId":"%s"}}]
                            """.formatted(first, second))
                    .post("/api/events").then().statusCode(202).extract().path("results.profileId");
            assertThat(created.get(0)).isNotEqualTo(created.get(1));

            given().contentType("application/json").body("""
                            [{"type":"identify","channel":"app","identifiers":{"anonymousId":"%s","userId":"u-%s"}},
                             {"type":"identify","channel":"web","identifiers":{"anonymousId":"%s","userId":"u-%s"}}]
                            """.formatted(second, run, first, run))
                    .post("/api/events").then().statusCode(202);

            given().queryParam("identifierType", "anonymousId").queryParam("identifier", second)
                    .get("/api/profiles").then().statusCode(200)
                    .body("id", is(created.get(0)))
                    .body("mergedProfileIds", contains(created.get(1)));
        }
    }
}
