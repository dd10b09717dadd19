package dev.omni.gateway.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.gateway.GatewayTestResources;
import dev.omni.gateway.InjectStubServices;
import dev.omni.gateway.StubServices;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/** The Segment HTTP Tracking API's edges: write keys, gzip, limits, Segment-style refusals, nothing half-taken. */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SegmentApiTest {

    private static final String KEY = "test-web-write-key";

    @InjectStubServices
    StubServices services;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void resetStubs() {
        services.reset();
        breakers.resetAll();
        ProfileEventsStub.accepting(services.profile);
    }

    private static RequestSpecification segment() {
        return given().auth().preemptive().basic(KEY, "").contentType("application/json");
    }

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aTrackCallIsAnsweredLikeSegmentAndForwardedWithTheSourcesChannel() {
        String run = id();
        segment().body("""
                        {"userId":"u-%s","event":"Cart Item Added","properties":{"sku":"S-1"},"messageId":"m-%s",
                         "timestamp":"2026-01-01T10:00:00Z","sentAt":"2026-01-01T10:00:05Z"}""".formatted(run, run))
                .post("/v1/track")
                .then().statusCode(200).contentType("application/json").body("success", is(true));
        List<JsonNode> events = ProfileEventsStub.events(services.profile);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asText()).isEqualTo("track");
        assertThat(events.get(0).path("event").asText()).isEqualTo("cart_item_added");
        assertThat(events.get(0).path("channel").asText()).isEqualTo("web");
        assertThat(events.get(0).path("messageId").asText()).isEqualTo("m-" + run);
        assertThat(ProfileEventsStub.requests(services.profile).get(0).getUrl())
                .isEqualTo("/api/events?atomic=true&wait=false");
    }

    @Test
    void everyCallOfTheApiIsServed() {
        String run = id();
        segment().body("{\"userId\":\"u-" + run + "\",\"traits\":{\"plan\":\"gold\"}}").post("/v1/identify")
                .then().statusCode(200).body("success", is(true));
        segment().body("{\"anonymousId\":\"a-" + run + "\",\"name\":\"Home\"}").post("/v1/page")
                .then().statusCode(200);
        segment().body("{\"userId\":\"u-" + run + "\",\"name\":\"Cart\"}").post("/v1/screen").then().statusCode(200);
        segment().body("{\"userId\":\"u-" + run + "\",\"groupId\":\"g-1\"}").post("/v1/group").then().statusCode(200);
        segment().body("{\"userId\":\"u-" + run + "\",\"previousId\":\"a-" + run + "\"}").post("/v1/alias")
                .then().statusCode(200);
        segment().body("{\"batch\":[{\"type\":\"track\",\"userId\":\"u-" + run + "\",\"event\":\"x\"}]}")
                .post("/v1/import").then().statusCode(200);
        assertThat(ProfileEventsStub.events(services.profile))
                .extracting(e -> e.path("type").asText() + ":" + e.path("event").asText(""))
                .containsExactly("identify:", "page:", "page:screen", "track:group", "identify:alias", "track:x");
    }

    @Test
    void analyticsJsStyleWriteKeyInTheBodyAndShortPathsAreAccepted() {
        given().contentType("text/plain").body("{\"writeKey\":\"" + KEY + "\",\"anonymousId\":\"a-" + id()
                        + "\",\"event\":\"Clicked\"}")
                .post("/v1/t")
                .then().statusCode(200).body("success", is(true));
        assertThat(ProfileEventsStub.events(services.profile)).hasSize(1);
    }

    @Test
    void aGzipBodyIsTaken() throws IOException {
        String run = id();
        byte[] body = gzip("{\"batch\":[{\"type\":\"track\",\"userId\":\"u-" + run + "\",\"event\":\"Zipped\"},"
                + "{\"type\":\"page\",\"anonymousId\":\"a-" + run + "\"}]}");
        segment().header("Content-Encoding", "gzip").body(body).post("/v1/batch")
                .then().statusCode(200).body("success", is(true));
        assertThat(ProfileEventsStub.events(services.profile)).extracting(e -> e.path("type").asText())
                .containsExactly("track", "page");
    }

    @Test
    void anUnknownOrMissingWriteKeyIs401InSegmentsStyle() {
        given().auth().preemptive().basic("wrong-key", "").contentType("application/json")
                .body("{\"userId\":\"u\",\"event\":\"x\"}").post("/v1/track")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"))
                .body("success", is(false))
                .body("message", containsString("write key"));
        given().contentType("application/json").body("{\"userId\":\"u\",\"event\":\"x\"}").post("/v1/track")
                .then().statusCode(401).body("success", is(false));
        assertThat(ProfileEventsStub.requests(services.profile)).isEmpty();
    }

    @Test
    void aBatchWithOneBadMessageIsRefusedWholeNamingEveryField() {
        String run = id();
        segment().body("""
                        {"batch":[
                          {"type":"track","userId":"u-%s","event":"Fine"},
                          {"type":"track","userId":"u-%s"},
                          {"type":"identify","traits":{"a":1}},
                          {"type":"teleport","userId":"u"},
                          {"type":"page","anonymousId":"a","timestamp":"yesterday"}]}""".formatted(run, run))
                .post("/v1/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("success", is(false))
                .body("violations.field", hasItems("batch[1].event", "batch[2].userId", "batch[3].type",
                        "batch[4].timestamp"));
        assertThat(ProfileEventsStub.requests(services.profile)).as("nothing half-ingested").isEmpty();
    }

    @Test
    void invalidJsonAndMissingBatchAre400() {
        segment().body("{\"userId\":").post("/v1/track")
                .then().statusCode(400).body("success", is(false)).body("violations.field", hasItem("body"));
        segment().body("{\"batch\":{}}").post("/v1/batch")
                .then().statusCode(400).body("violations.field", hasItem("batch"));
        segment().body("{\"userId\":\"u\",\"event\":\"x\"}").get("/v1/track").then().statusCode(405);
        segment().body("{}").post("/v1/nothing").then().statusCode(404).body("success", is(false));
        assertThat(ProfileEventsStub.requests(services.profile)).isEmpty();
    }

    @Test
    void aCallOver32KbIsRefused() {
        String big = "x".repeat(33 * 1024);
        segment().body("{\"userId\":\"u\",\"event\":\"Big\",\"properties\":{\"blob\":\"" + big + "\"}}")
                .post("/v1/track")
                .then().statusCode(400).body("success", is(false)).body("message", containsString("32 KB"));
        // in a batch: the one message over 32 KB is named, and the batch is refused whole
        segment().body("{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Small\"},"
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Big\",\"properties\":{\"blob\":\"" + big
                        + "\"}}]}")
                .post("/v1/batch")
                .then().statusCode(400).body("violations.field", hasItem("batch[1]"));
        assertThat(ProfileEventsStub.requests(services.profile)).isEmpty();
    }

    @Test
    void aBatchOver500KbIsRefusedAlsoWhenGzipped() throws IOException {
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        String filler = "y".repeat(20 * 1024);
        for (int i = 0; i < 26; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",")
                    .append("\"properties\":{\"f\":\"").append(filler).append("\"}}");
        }
        String body = batch.append("]}").toString();
        assertThat(body.length()).isGreaterThan(500 * 1024);
        segment().body(body).post("/v1/batch")
                .then().statusCode(400).body("success", is(false)).body("message", containsString("500 KB"));
        // compressed it is small, but the limit is on what it holds
        byte[] zipped = gzip(body);
        assertThat(zipped.length).isLessThan(32 * 1024);
        segment().header("Content-Encoding", "gzip").body(zipped).post("/v1/batch")
                .then().statusCode(400).body("message", containsString("500 KB"));
        assertThat(ProfileEventsStub.requests(services.profile)).isEmpty();
    }

    @Test
    void aBatchJustUnder500KbIsTaken() {
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        String filler = "z".repeat(30 * 1024);
        for (int i = 0; i < 16; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"userId\":\"u-big\",\"event\":\"E\",")
                    .append("\"properties\":{\"f\":\"").append(filler).append("\"}}");
        }
        String body = batch.append("]}").toString();
        assertThat(body.length()).isBetween(480 * 1024, 500 * 1024);
        segment().body(body).post("/v1/batch").then().statusCode(200).body("success", is(true));
        assertThat(ProfileEventsStub.events(services.profile)).hasSize(16);
    }

    @Test
    void whatProfileRefusesIsA400NamingTheSegmentField() {
        services.profile.stubFor(post(urlPathEqualTo("/api/events")).atPriority(1).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\":400,\"title\":\"Bad Request\",\"detail\":\"the batch is refused whole\","
                        + "\"violations\":[{\"field\":\"[1].identifiers.userId\",\"in\":\"body\","
                        + "\"message\":\"'undefined' is a blocked value: it does not identify anyone\"}]}")));
        segment().body("{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"a\"},"
                        + "{\"type\":\"track\",\"userId\":\"undefined\",\"event\":\"b\"}]}")
                .post("/v1/batch")
                .then().statusCode(400).body("success", is(false))
                .body("violations.field", hasItem("batch[1].identifiers.userId"))
                .body("message", containsString("blocked value"));
    }

    @Test
    void whenProfileFailsTheSdkIsToldToRetry() {
        services.profile.stubFor(post(urlPathEqualTo("/api/events")).atPriority(1)
                .willReturn(aResponse().withStatus(500)));
        segment().body("{\"userId\":\"u\",\"event\":\"x\"}").post("/v1/track")
                .then().statusCode(502).body("success", is(false));
    }

    @Test
    void integrationsOmniFalseKeepsAMessageOut() {
        segment().body("{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Kept\"},"
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Out\",\"integrations\":{\"Omni\":false}}]}")
                .post("/v1/batch").then().statusCode(200);
        assertThat(ProfileEventsStub.events(services.profile)).extracting(e -> e.path("event").asText())
                .containsExactly("kept");
    }

    @Test
    void aBatchOfMoreThan500IsForwardedInOrderInChunks() {
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 1203; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",")
                    .append("\"messageId\":\"chunk-").append(i).append("\"}");
        }
        segment().body(batch.append("]}").toString()).post("/v1/batch").then().statusCode(200);
        assertThat(ProfileEventsStub.requests(services.profile)).hasSize(3);
        List<JsonNode> events = ProfileEventsStub.events(services.profile);
        assertThat(events).hasSize(1203);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).path("messageId").asText()).isEqualTo("chunk-" + i);
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
