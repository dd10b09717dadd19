package dev.omni.profile;

import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class BadInputTest {

    @Test
    void invalidEventIsAProblemNamingItsFields() {
        given().contentType("application/json")
                .body("""
                        {"type":"shout","channel":"web","identifiers":{"email":"not-an-email","shoeSize":"42"}}
                        """)
                .post("/api/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("violations.field", hasItems("type", "identifiers.email", "identifiers.shoeSize"));
    }

    @Test
    void unknownChannelNamesTheField() {
        given().contentType("application/json")
                .body("{\"type\":\"page\",\"channel\":\"fax\",\"identifiers\":{\"anonymousId\":\"x1\"}}")
                .post("/api/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("channel"));
    }

    @Test
    void malformedJsonIsAProblemNotAServerError() {
        given().contentType("application/json").body("{\"type\": \"track\", ")
                .post("/api/events")
                .then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void validEventsOfABatchAreAcceptedBesideInvalidOnes() {
        given().contentType("application/json")
                .body("""
                        [{"type":"page","channel":"web","identifiers":{"anonymousId":"b-%s"}},
                         {"type":"track","channel":"web","identifiers":{"anonymousId":"b-2"}}]
                        """.formatted(UUID.randomUUID()))
                .post("/api/events")
                .then().statusCode(202)
                .body("accepted", is(1))
                .body("rejected", is(1))
                .body("results[1].status", is("REJECTED"))
                .body("results[1].violations[0].field", is("[1].event"));
    }

    @Test
    void oversizedBatchIsRejectedWhole() {
        String event = "{\"type\":\"page\",\"channel\":\"web\",\"identifiers\":{\"anonymousId\":\"o-1\"}}";
        String batch = "[" + String.join(",", java.util.Collections.nCopies(501, event)) + "]";
        given().contentType("application/json").body(batch)
                .post("/api/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("500"));
        given().queryParam("identifierType", "anonymousId").queryParam("identifier", "o-1")
                .get("/api/profiles")
                .then().statusCode(404).contentType("application/problem+json");
    }
}
