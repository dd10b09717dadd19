package dev.omni.inventory;

import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * A body of the wrong JSON shape for a typed endpoint (platform's UnreadableBody): bench's BadInputIT found these
 * answered with an empty 400; now problem+json naming the field.
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class UnreadableBodyTest {

    @Test
    void aNumberWhereAnObjectBelongsNamesTheBody() {
        given().contentType("application/json").body("42").post("/api/skus")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", is("body"))
                .body("violations[0].in", is("body"));
    }

    @Test
    void aWrongTypeInsideNamesItsField() {
        given().contentType("application/json").body("{\"sku\":{\"$ne\":1},\"productId\":\"P\",\"name\":\"n\"}")
                .post("/api/skus")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("sku"));
    }

    @Test
    void nestingDeeperThanJacksonReadsIsAProblemToo() {
        given().contentType("application/json").body("[".repeat(5000) + "]".repeat(5000)).post("/api/skus")
                .then().statusCode(400).contentType("application/problem+json");
    }
}
