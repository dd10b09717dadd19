package dev.omni.attribution;

import dev.omni.testing.HealthContract;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ServiceHealthTest extends HealthContract {

    @Test
    void metricsAreExposedForPrometheus() {
        given().get("/api/touchpoints?profileId=nobody").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
    }

    @Test
    void withTheTokenCheckOffATokenIsNeitherNeededNorChecked() {
        // omni.auth.enabled is off by default (ApiTokenTest turns it on): the gateway alone checks tokens then
        given().get("/api/touchpoints?profileId=nobody").then().statusCode(200);
        given().auth().oauth2("not-a-jwt").get("/api/touchpoints?profileId=nobody").then().statusCode(200);
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
