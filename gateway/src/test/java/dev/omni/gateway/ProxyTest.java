package dev.omni.gateway;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ProxyTest {

    @InjectStubServices
    StubServices services;

    @Inject
    CircuitBreakerMaintenance breakers;

    @TestHTTPResource("/")
    URL gateway;

    private final String admin = Tokens.client("omni-admin", "admin");
    private final String pos = Tokens.client("partner-pos", "stock:write", "events:write", "inventory:read");

    @BeforeEach
    void resetStubs() {
        services.reset();
        breakers.resetAll();
    }

    @Test
    void aRequestReachesItsServiceWithPathQueryBodyTokenAndRequestId() {
        services.profile.stubFor(post(urlPathEqualTo("/api/events")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Profile-Trace", "t-1")
                .withBody("{\"accepted\":1}")));
        String body = "{\"type\":\"track\",\"event\":\"store_visit\",\"channel\":\"pos\"}";
        given().auth().oauth2(pos).contentType("application/json").header("X-Request-Id", "fwd-1")
                .queryParam("dryRun", "false").body(body)
                .post("/api/events")
                .then().statusCode(202)
                .header("X-Profile-Trace", "t-1")
                .header("X-Request-Id", "fwd-1")
                .body("accepted", is(1));
        List<LoggedRequest> received = services.profile.findAll(postRequestedFor(urlEqualTo("/api/events?dryRun=false")));
        assertThat(received).hasSize(1);
        LoggedRequest request = received.get(0);
        assertThat(request.getBodyAsString()).isEqualTo(body);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + pos);
        assertThat(request.getHeader("X-Request-Id")).isEqualTo("fwd-1");
        assertThat(request.getHeader("X-Forwarded-For")).isNotBlank();
        assertThat(request.getHeader("X-Forwarded-Proto")).isEqualTo("http");
    }

    @Test
    void eachPrefixGoesToItsService() {
        given().auth().oauth2(admin).get("/api/segments/vip").then().statusCode(200).body("upstream", is("profile"));
        given().auth().oauth2(admin).get("/api/skus/SNK-1").then().statusCode(200).body("upstream", is("inventory"));
        given().auth().oauth2(admin).get("/api/journeys").then().statusCode(200).body("upstream", is("messaging"));
        given().auth().oauth2(admin).get("/api/attribution/reports").then().statusCode(200)
                .body("upstream", is("attribution"));
        services.inventory.verify(getRequestedFor(urlEqualTo("/api/skus/SNK-1")));
        services.attribution.verify(getRequestedFor(urlEqualTo("/api/reports")));
    }

    @Test
    void prefixedRoutesReachThePathsTheServicesServe() {
        given().auth().oauth2(admin).queryParam("model", "markov").get("/api/attribution/reports/credit").then()
                .statusCode(200).body("upstream", is("attribution"));
        services.attribution.verify(getRequestedFor(urlEqualTo("/api/reports/credit?model=markov")));
        given().auth().oauth2(admin).get("/api/attribution/journeys").then().statusCode(200)
                .body("upstream", is("attribution"));
        services.attribution.verify(getRequestedFor(urlEqualTo("/api/journeys")));
        given().redirects().follow(false).get("/api/tracking/c/abc.sig").then().body("upstream", is("messaging"));
        services.messaging.verify(getRequestedFor(urlEqualTo("/t/c/abc.sig")));
        given().contentType("application/json").body("{}").post("/api/webhooks/sms-primary").then()
                .body("upstream", is("messaging"));
        services.messaging.verify(postRequestedFor(urlEqualTo("/api/receipts/sms-primary")));
    }

    @Test
    void aLargeResponseIsStreamedWhole() {
        byte[] big = "x".repeat(3 * 1024 * 1024).getBytes();
        services.inventory.stubFor(get(urlPathEqualTo("/api/stock/export")).willReturn(aResponse()
                .withHeader("Content-Type", "text/csv").withBody(big)));
        byte[] received = given().auth().oauth2(pos).get("/api/stock/export")
                .then().statusCode(200).extract().asByteArray();
        assertThat(received).hasSize(big.length);
    }

    @Test
    void aChunkedBodyWithinTheLimitIsStreamedThrough() throws Exception {
        String body = "{\"lines\":\"" + "y".repeat(40_000) + "\"}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/reservations"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body.getBytes())))
                .build());
        assertThat(response.statusCode()).isEqualTo(200);
        LoggedRequest received = services.inventory.findAll(postRequestedFor(urlEqualTo("/api/reservations"))).get(0);
        assertThat(received.getBodyAsString().length()).isEqualTo(body.length());
        assertThat(received.getBodyAsString().equals(body)).isTrue();
    }

    @Test
    void aServiceErrorIsPassedOnAsItIs() {
        services.messaging.stubFor(get(urlPathEqualTo("/api/templates/cart")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\":500,\"title\":\"Internal Server Error\",\"detail\":\"template store down\"}")));
        given().auth().oauth2(admin).get("/api/templates/cart")
                .then().statusCode(500)
                .contentType("application/problem+json")
                .body("detail", is("template store down"));
    }

    @Test
    void anUnreachableServiceIsA502ProblemAfterRetriesOfAGet() {
        services.inventory.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().auth().oauth2(pos).get("/api/stock/SNK-1")
                .then().statusCode(502)
                .contentType("application/problem+json")
                .body("status", is(502))
                .body("upstream", is("inventory"))
                .body("detail", containsString("inventory"));
        assertThat(services.inventory.findAll(getRequestedFor(urlPathEqualTo("/api/stock/SNK-1")))).hasSize(3);
    }

    @Test
    void aPostIsNeverRetried() {
        services.inventory.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().auth().oauth2(pos).contentType("application/json")
                .body("{\"movementId\":\"m-1\",\"kind\":\"SALE\",\"sku\":\"S\",\"locationId\":\"L\",\"quantity\":1}")
                .post("/api/stock-movements")
                .then().statusCode(502).contentType("application/problem+json");
        assertThat(services.inventory.findAll(postRequestedFor(urlPathEqualTo("/api/stock-movements")))).hasSize(1);
    }

    @Test
    void aGetSucceedsWhenTheServiceRecoversWithinTheRetries() {
        services.inventory.stubFor(get(urlPathEqualTo("/api/locations")).inScenario("restart")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("up"));
        services.inventory.stubFor(get(urlPathEqualTo("/api/locations")).inScenario("restart")
                .whenScenarioStateIs("up")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("[]")));
        given().auth().oauth2(pos).get("/api/locations").then().statusCode(200);
        assertThat(services.inventory.findAll(getRequestedFor(urlPathEqualTo("/api/locations")))).hasSize(2);
    }

    @Test
    void aSilentServiceIsA504Problem() {
        services.inventory.stubFor(post(urlPathEqualTo("/api/reservations"))
                .willReturn(aResponse().withFixedDelay(4_000).withStatus(201)));
        given().auth().oauth2(admin).contentType("application/json").body("{}")
                .post("/api/reservations")
                .then().statusCode(504)
                .contentType("application/problem+json")
                .body("upstream", is("inventory"));
    }

    @Test
    void dotSegmentsAreResolvedBeforeTheRouteIsChosen() throws Exception {
        // /api/skus/../profiles/p-1 is /api/profiles/p-1: a storefront token may read skus, not profiles
        String storefront = Tokens.client("storefront-web", "storefront");
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/skus/../profiles/p-1"))
                .header("Authorization", "Bearer " + storefront).GET().build());
        assertThat(response.statusCode()).isEqualTo(403);
        services.profile.verify(0, anyRequestedFor(anyUrl()));
        services.inventory.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anEncodedSlashIsRefused() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/skus/a%2F..%2F..%2Fprofiles"))
                .header("Authorization", "Bearer " + admin).GET().build());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        services.inventory.verify(0, anyRequestedFor(anyUrl()));
    }

    private URI uri(String path) {
        return URI.create("http://" + gateway.getHost() + ":" + gateway.getPort() + path);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }
}
