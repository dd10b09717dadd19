package dev.omni.inventory;

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
        given().get("/api/locations").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests"))
                .body(containsString("omni_outbox_published"));
    }

    @Test
    void openApiDescribesTheApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/api/locations"))
                .body("paths", hasKey("/api/skus"))
                .body("paths", hasKey("/api/stock-movements"))
                .body("paths", hasKey("/api/stock/{sku}/{locationId}"))
                .body("paths", hasKey("/api/reservations"))
                .body("paths", hasKey("/api/availability"));
    }
}
