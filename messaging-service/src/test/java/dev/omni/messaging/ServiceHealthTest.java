package dev.omni.messaging;

import dev.omni.testing.HealthContract;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ServiceHealthTest extends HealthContract {

    @Test
    void metricsAreExposedForPrometheus() {
        given().get("/api/templates").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
    }

    @Test
    void openApiDescribesTheApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/api/messages"))
                .body("paths", hasKey("/api/journeys"))
                .body("paths", hasKey("/api/templates/{id}/{channel}/{locale}"));
    }

    @Test
    void builtInCartJourneyIsInstalled() {
        given().get("/api/journeys/cart-abandonment").then().statusCode(200)
                .body("builtIn", is(true))
                .body("active", is(true))
                .body("definition.trigger.event", is("cart_item_added"));
    }
}
