package dev.omni.gateway;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.omni.gateway.route.RouteTable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.MATCHING_RESOURCES)
class GatewayFoundationTest {

    @Test
    void readinessChecksKafkaAndTheAvailabilityCache() {
        // up once the cache has read what omni.availability held at start (other classes of this broker wrote some)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem(containsString("Kafka")))
                .body("checks.name", hasItem("availability cache")));
    }

    @Test
    void livenessAndStartedAnswer() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsAreExposedForPrometheus() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests"))
                .body(containsString("omni_gateway_availability_cached"));
    }

    @Test
    void openApiDescribesTheGatewaysOwnEndpoints() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/api/partners/stock-movements"))
                .body("paths", hasKey("/api/me"))
                .body("paths", hasKey("/api/products/{productId}/availability"));
    }

    @Test
    void openApiListsTheProxiedRoutesWithTheirServiceAndScopes() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/profiles/{profileId}/cart'.get.x-omni-upstream", is("profile"))
                .body("paths.'/api/profiles/{profileId}/cart'.get.security[0].omni", contains("admin", "storefront"))
                .body("paths.'/api/attribution'.get.security[0].omni", contains("admin", "attribution:read"))
                .body("paths.'/api/tracking'.get.security", nullValue());
    }

    /** Nothing of the gateway's own under /api may bypass the route table, which is where access is decided. */
    @Test
    void everyOwnEndpointIsInTheRouteTable() {
        Map<String, Map<String, Map<String, Object>>> paths = given().get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        int own = 0;
        for (var path : paths.entrySet()) {
            for (var operation : path.getValue().entrySet()) {
                if (!path.getKey().startsWith("/api") || operation.getValue().containsKey("x-omni-upstream")) {
                    continue;
                }
                String method = operation.getKey().toUpperCase(Locale.ROOT);
                String concrete = path.getKey().replaceAll("\\{[^}]+}", "x");
                assertThat(RouteTable.OMNI.match(method, concrete))
                        .as(method + " " + path.getKey() + " is in the route table as the gateway's own")
                        .hasValueSatisfying(match -> assertThat(match.route().local()).isTrue());
                own++;
            }
        }
        assertThat(own).isGreaterThanOrEqualTo(5);
    }

    @Test
    void everyResponseCarriesARequestIdAndKeepsASaneOne() {
        given().get("/q/health/live").then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().header("X-Request-Id", "shop-7f3a.42").get("/q/health/live")
                .then().header("X-Request-Id", equalTo("shop-7f3a.42"));
        given().header("X-Request-Id", "<script>").get("/q/health/live")
                .then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void unknownApiPathIsAProblem() {
        given().header("X-Request-Id", "lost-1").get("/api/nothing-here").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404))
                .body("instance", is("/api/nothing-here"))
                .body("requestId", is("lost-1"));
    }

    @Test
    void wrongMethodNamesTheAllowedOnes() {
        given().delete("/api/partners/stock-movements").then().statusCode(405)
                .contentType("application/problem+json")
                .header("Allow", "POST");
    }

    @Test
    void corsPreflightFromAStorefrontOriginIsAllowed() {
        given().header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "Authorization,Content-Type")
                .options("/api/events")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:3000")
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("Authorization"));
    }

    @Test
    void corsFromAnUnknownOriginIsRefused() {
        given().header("Origin", "https://evil.example.com")
                .header("Access-Control-Request-Method", "POST")
                .options("/api/events")
                .then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void corsHeadersAreExposedOnActualRequests() {
        given().header("Origin", "http://localhost:3000").get("/api/nothing-here")
                .then().header("Access-Control-Allow-Origin", "http://localhost:3000")
                .header("Access-Control-Expose-Headers", containsString("X-Request-Id"))
                .header("X-Request-Id", notNullValue());
    }
}
