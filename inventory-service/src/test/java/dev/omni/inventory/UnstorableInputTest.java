package dev.omni.inventory;

import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * Input PostgreSQL cannot hold (platform's UnstorableInput): found by bench's BadInputIT as 500s, now 400s naming the
 * parameter, and a body the database refuses leaves nothing behind.
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class UnstorableInputTest {

    @Test
    void nulInAPathParameterIsA400NamingIt() {
        given().urlEncodingEnabled(false).get("/api/skus/SNK%00x")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("sku"))
                .body("violations[0].in", is("path"));
    }

    @Test
    void nulInAQueryParameterIsA400NamingIt() {
        given().urlEncodingEnabled(false).get("/api/skus?productId=SNK%00")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("productId"))
                .body("violations[0].in", is("query"));
    }

    @Test
    void anEncodedPercentZeroZeroIsTextNotANul() {
        // %2500 decodes to the three characters "%00": only a request line holding %00 itself is decoded and checked
        given().urlEncodingEnabled(false).get("/api/skus?productId=SNK%2500")
                .then().statusCode(200);
        given().urlEncodingEnabled(false).get("/api/skus/SNK%2500x")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void nulInABodysFreeTextIsA400AndNothingIsWritten() {
        String sku = "NUL-" + UUID.randomUUID();
        given().contentType("application/json")
                .body("{\"sku\":\"" + sku + "\",\"productId\":\"NUL\",\"name\":\"bad\\u0000name\",\"attributes\":{\"size\":\"42\"}}")
                .post("/api/skus")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("cannot be stored"));
        given().get("/api/skus/" + sku).then().statusCode(404);
    }
}
