package dev.omni.gateway;

import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/** The limits the gateway puts on traffic: circuit breakers per service, rate limits per client, body size. */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TrafficControlTest {

    @InjectStubServices
    StubServices services;

    @Inject
    CircuitBreakerMaintenance breakers;

    @TestHTTPResource("/")
    URL gateway;

    @BeforeEach
    void resetStubs() {
        services.reset();
        breakers.resetAll();
    }

    @Test
    void aFailingServiceTripsItsOwnBreakerOnlyAndRecovers() {
        String admin = Tokens.client("omni-admin", "admin");
        services.attribution.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        // attribution's breaker (4 calls, half failing) opens: the gateway answers 503 without calling it
        await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().oauth2(admin)
                .get("/api/attribution/reports").statusCode() == 503);
        int callsWhenOpen = services.attribution.findAll(anyRequestedFor(anyUrl())).size();
        Response open = given().auth().oauth2(admin).get("/api/attribution/reports");
        assertThat(open.statusCode()).isEqualTo(503);
        assertThat(open.contentType()).isEqualTo("application/problem+json");
        assertThat(open.header("Retry-After")).isEqualTo("2");
        assertThat(open.jsonPath().getString("upstream")).isEqualTo("attribution");
        assertThat(services.attribution.findAll(anyRequestedFor(anyUrl()))).hasSize(callsWhenOpen);

        // the other services are not affected
        given().auth().oauth2(admin).get("/api/skus").then().statusCode(200).body("upstream", is("inventory"));

        // once attribution is back, the breaker lets a trial call through after its delay and closes
        services.reset();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> given()
                .auth().oauth2(admin).get("/api/attribution/reports").statusCode() == 200);
        given().auth().oauth2(admin).get("/api/attribution/reports").then().statusCode(200);
    }

    @Test
    void aClientOverItsRateIsToldWhenToComeBack() {
        // test profile: attribution:read allows 3 requests at once, refilled at 3 per 6 seconds
        String ads = Tokens.client("partner-ads-" + UUID.randomUUID(), "attribution:read");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(ads).get("/api/attribution/reports")
                    .then().statusCode(200)
                    .header("RateLimit-Limit", "3")
                    .header("RateLimit-Policy", "3;w=6");
        }
        Response limited = given().auth().oauth2(ads).get("/api/attribution/reports");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.contentType()).isEqualTo("application/problem+json");
        assertThat(limited.header("Retry-After")).isIn("1", "2");
        assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(limited.jsonPath().getString("policy")).isEqualTo("attribution:read");

        // another client is not limited by the first one's use
        given().auth().oauth2(Tokens.client("partner-ads-other-" + UUID.randomUUID(), "attribution:read"))
                .get("/api/attribution/reports").then().statusCode(200);

        // the bucket refills: the client gets through again
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(500)).until(() -> given()
                .auth().oauth2(ads).get("/api/attribution/reports").statusCode() == 200);
    }

    @Test
    void remainingCountsDownPerRequest() {
        String ads = Tokens.client("partner-ads-" + UUID.randomUUID(), "attribution:read");
        String first = given().auth().oauth2(ads).get("/api/attribution/kpis").header("RateLimit-Remaining");
        String second = given().auth().oauth2(ads).get("/api/attribution/kpis").header("RateLimit-Remaining");
        assertThat(Integer.parseInt(second)).isLessThan(Integer.parseInt(first));
    }

    @Test
    void aDeclaredBodyAboveTheLimitIsRefusedBeforeTheService() {
        String admin = Tokens.client("omni-admin", "admin");
        given().auth().oauth2(admin).contentType("application/json")
                .body("{\"x\":\"" + "z".repeat(70_000) + "\"}")
                .post("/api/journeys")
                .then().statusCode(413).contentType("application/problem+json");
        services.messaging.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aChunkedBodyAboveTheLimitIsCutOff() throws Exception {
        byte[] body = ("{\"x\":\"" + "z".repeat(200_000) + "\"}").getBytes();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create("http://" + gateway.getHost() + ":" + gateway.getPort()
                                + "/api/journeys"))
                        .header("Authorization", "Bearer " + Tokens.client("omni-admin", "admin"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
}
