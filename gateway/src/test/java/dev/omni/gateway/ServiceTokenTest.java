package dev.omni.gateway;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code omni.gateway.service-token.enabled} (as in {@code ./omni up} and Kubernetes, where the services check
 * tokens again), calls that carry no caller's token go with the gateway's own client-credentials token, fetched by
 * quarkus-oidc-client from the OIDC test server's token endpoint: the public routes (replacing whatever
 * {@code Authorization} the client sent) and the Segment API. A caller's token is still passed on unchanged.
 */
@QuarkusTest
@TestProfile(ServiceTokenTest.ServiceTokenOn.class)
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ServiceTokenTest {

    public static class ServiceTokenOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("omni.gateway.service-token.enabled", "true",
                    "quarkus.oidc-client.client-id", "omni-gateway-service",
                    "quarkus.oidc-client.credentials.secret", "secret");
        }
    }

    @InjectStubServices
    StubServices services;

    @Inject
    CircuitBreakerMaintenance breakers;

    private final String admin = Tokens.client("omni-admin", "admin");

    @BeforeEach
    void resetStubs() {
        services.reset();
        breakers.resetAll();
    }

    @Test
    void publicRoutesGoOnWithTheGatewaysOwnToken() {
        given().redirects().follow(false).get("/api/tracking/c/abc.sig");
        LoggedRequest tracking = services.messaging.findAll(getRequestedFor(urlEqualTo("/t/c/abc.sig"))).get(0);
        assertGatewayToken(tracking.getHeader("Authorization"));

        // a provider's own Authorization (not a token of the realm) is replaced, not passed on
        given().header("Authorization", "Basic cHJvdmlkZXI6c2VjcmV0").contentType("application/json").body("{}")
                .post("/api/webhooks/sms-primary");
        LoggedRequest webhook = services.messaging.findAll(postRequestedFor(urlEqualTo("/api/receipts/sms-primary")))
                .get(0);
        assertGatewayToken(webhook.getHeader("Authorization"));
        assertThat(webhook.getHeader("Authorization")).isEqualTo(tracking.getHeader("Authorization"))
                .as("the token is kept, not fetched per call");
    }

    @Test
    void aCallersTokenIsStillPassedOnUnchanged() {
        given().auth().oauth2(admin).get("/api/segments").then().statusCode(200);
        LoggedRequest request = services.profile.findAll(getRequestedFor(urlEqualTo("/api/segments"))).get(0);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + admin);
    }

    @Test
    void segmentCallsGoOnWithTheGatewaysOwnToken() {
        services.profile.stubFor(post(urlPathEqualTo("/api/events")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"accepted\":1,\"duplicates\":0,\"rejected\":0,\"results\":[]}")));
        given().auth().preemptive().basic("test-web-write-key", "").contentType("application/json")
                .body("{\"userId\":\"u-token-1\",\"event\":\"Product Viewed\",\"messageId\":\"m-token-1\"}")
                .post("/v1/track").then().statusCode(200);
        List<LoggedRequest> forwarded = services.profile.findAll(postRequestedFor(urlPathEqualTo("/api/events")));
        assertThat(forwarded).hasSize(1);
        assertGatewayToken(forwarded.get(0).getHeader("Authorization"));
    }

    /** A bearer JWT from the test server's client-credentials grant (its tokens are issued to alice). */
    private static void assertGatewayToken(String authorization) {
        assertThat(authorization).startsWith("Bearer ");
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        assertThat(parts).hasSize(3);
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"alice\"");
    }
}
