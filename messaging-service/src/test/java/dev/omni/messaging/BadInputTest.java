package dev.omni.messaging;

import dev.omni.messaging.support.Fixtures;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class BadInputTest {

    private static final String PROBLEM = "application/problem+json";

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void unknownChannelAndBadProfileIdAreNamed() {
        given().contentType("application/json")
                .body("{\"profileId\":\"42\",\"channel\":\"fax\",\"template\":\"order-confirmation\"}")
                .post("/api/messages")
                .then().statusCode(400).contentType(PROBLEM)
                .body("violations.field", hasItems("profileId", "channel"));
    }

    @Test
    void invalidEmailRecipientIsNamed() {
        given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"email","template":"pickup-ready","to":"not-an-email",
                         "variables":{"orderId":"A-1","storeName":"Berlin"}}
                        """.formatted(UUID.randomUUID()))
                .post("/api/messages")
                .then().statusCode(400).contentType(PROBLEM)
                .body("violations.field", hasItem("to"))
                .body("violations.message", hasItem("not an email address"));
    }

    @Test
    void invalidPhoneRecipientIsNamed() {
        given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"sms","template":"pickup-ready","to":"12345",
                         "variables":{"orderId":"A-1","storeName":"Berlin"}}
                        """.formatted(UUID.randomUUID()))
                .post("/api/messages")
                .then().statusCode(400).contentType(PROBLEM)
                .body("violations.field", hasItem("to"));
    }

    @Test
    void unknownAndMissingTemplateVariablesAreNamedAndNothingIsWritten() {
        UUID profileId = Fixtures.profile(kafka, "ivy@example.com", null, null, Map.of());
        given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"email","template":"order-confirmation",
                         "variables":{"ordreId":"A-1","total":"3 EUR"}}
                        """.formatted(profileId))
                .post("/api/messages")
                .then().statusCode(400).contentType(PROBLEM)
                .body("violations.field", hasItems("variables.orderId", "variables.ordreId"));
        given().queryParam("profileId", profileId.toString()).get("/api/messages")
                .then().statusCode(200).body("size()", is(0));
    }

    @Test
    void unknownTemplateIsNamed() {
        given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"push","template":"order-confirmation"}
                        """.formatted(UUID.randomUUID()))
                .post("/api/messages")
                .then().statusCode(400).contentType(PROBLEM)
                .body("violations.field", hasItem("template"));
    }

    @Test
    void malformedJsonIsAProblemNotAServerError() {
        given().contentType("application/json").body("{\"profileId\": ")
                .post("/api/messages")
                .then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void templateThatDoesNotParseIsRejectedWithItsPosition() {
        given().contentType("application/json")
                .body("{\"subject\":\"Hi\",\"text\":\"Hello\\n{#if profile.vip}VIP\",\"html\":\"<p>x</p>\"}")
                .put("/api/templates/broken/email/en")
                .then().statusCode(400).contentType(PROBLEM)
                .body("violations[0].field", is("text"))
                .body("violations[0].message", containsString("line 2"));
        given().get("/api/templates").then().body("id", org.hamcrest.Matchers.not(hasItem("broken")));
    }

    @Test
    void templateReadingAnUnknownVariableIsRejectedWithItsPosition() {
        given().contentType("application/json")
                .body("{\"text\":\"Hi {profile.firstName}, code {discount.code}\"}")
                .put("/api/templates/promo/sms/en")
                .then().statusCode(400).contentType(PROBLEM)
                .body("violations[0].field", is("text"))
                .body("violations[0].message", containsString("line 1, column"))
                .body("violations[0].message", containsString("unknown variable 'discount'"));
    }

    @Test
    void journeyWithACycleIsRejected() {
        given().contentType("application/json").body("""
                        {"id":"loop","name":"Loop","trigger":{"type":"interaction","event":"page_viewed"},
                         "steps":[
                           {"id":"a","type":"wait","duration":"PT1H","next":"b"},
                           {"id":"b","type":"send","channel":"email","template":"cart-reminder","next":"a"}]}
                        """)
                .post("/api/journeys")
                .then().statusCode(400).contentType(PROBLEM)
                .body("violations.field", hasItem("steps"))
                .body("violations.message", hasItem(containsString("a → b → a")));
        given().get("/api/journeys/loop").then().statusCode(404);
    }

    @Test
    void journeyWithUnknownChannelStepTypeAndReferencesNamesEachField() {
        given().contentType("application/json").body("""
                        {"id":"bad","name":"Bad","trigger":{"type":"interaction"},
                         "steps":[
                           {"id":"a","type":"send","channel":"fax","template":"cart-reminder","next":"zz"},
                           {"id":"b","type":"teleport"},
                           {"id":"c","type":"wait","duration":"soon"},
                           {"id":"d","type":"send","channel":"sms","template":"no-such-template"}]}
                        """)
                .post("/api/journeys")
                .then().statusCode(400).contentType(PROBLEM)
                .body("violations.field", hasItems("trigger.event", "steps[0].channel", "steps[0].next",
                        "steps[1].type", "steps[2].duration", "steps[3].template"));
    }
}
