package dev.omni.attribution;

import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ServiceHealthTest {

    @Test
    void readinessChecksDatabaseAndKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")))
                .body("checks.name", hasItem(containsString("Kafka")));
    }

    @Test
    void livenessAndStartedAnswer() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsAreExposedForPrometheus() {
        given().get("/api/touchpoints?profileId=nobody").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
    }

    @Test
    void openApiDescribesTheApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/api/touchpoints"))
                .body("paths", hasKey("/api/journeys"))
                .body("paths", hasKey("/api/reports/credit"))
                .body("paths", hasKey("/api/reports/markov"))
                .body("paths", hasKey("/api/kpis"));
    }
}
