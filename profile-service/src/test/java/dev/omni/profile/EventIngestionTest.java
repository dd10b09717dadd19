package dev.omni.profile;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class EventIngestionTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void acceptedEventIsPublishedOnInteractionsWithItsProfile() {
        String anonymousId = "anon-" + UUID.randomUUID();
        String profileId = given().contentType("application/json").body("""
                        {"type":"track","event":"cart_item_added","channel":"web",
                         "identifiers":{"anonymousId":"%s"},"properties":{"sku":"SNK-RUNNER-42-WHT"}}
                        """.formatted(anonymousId))
                .post("/api/events")
                .then().statusCode(202)
                .body("accepted", is(1))
                .body("results[0].status", is("ACCEPTED"))
                .body("results[0].profileId", notNullValue())
                .extract().path("results[0].profileId");

        ConsumerRecord<String, String> record;
        try (ConsumerTask<String, String> interactions = kafka.consumeStrings().fromTopics(Topics.INTERACTIONS)) {
            record = await().atMost(Duration.ofSeconds(20)).until(() -> interactions.getRecords().stream()
                    .filter(r -> profileId.equals(r.key())).findFirst(), Optional::isPresent).orElseThrow();
        }
        CloudEvent<InteractionRecorded> event = EventCodec.decode(record.value(), InteractionRecorded.class);
        assertThat(event.type()).isEqualTo(EventType.INTERACTION_RECORDED.type());
        assertThat(event.data().profileId()).isEqualTo(profileId);
        assertThat(event.data().event()).isEqualTo("cart_item_added");
        assertThat(event.data().properties()).containsEntry("sku", "SNK-RUNNER-42-WHT");
    }

    @Test
    void sameIdentifierResolvesToSameProfileAndShowsOnIt() {
        String email = "Anna." + UUID.randomUUID() + "@Example.com";
        String first = ingestIdentify(email);
        String second = ingestIdentify(email.toUpperCase());
        assertThat(second).isEqualTo(first);

        given().queryParam("identifierType", "email").queryParam("identifier", email)
                .get("/api/profiles")
                .then().statusCode(200)
                .body("id", is(first))
                .body("traits.firstName", is("Anna"))
                .body("identifiers.value", hasItem(email.toLowerCase()))
                .body("timeline.name", contains("identify", "identify"));
    }

    @Test
    void repeatedMessageIdIsAcceptedAndIgnored() {
        String body = """
                {"type":"page","channel":"app","messageId":"%s","identifiers":{"anonymousId":"a-%s"}}
                """.formatted(UUID.randomUUID(), UUID.randomUUID());
        String profileId = given().contentType("application/json").body(body).post("/api/events")
                .then().statusCode(202).body("results[0].status", is("ACCEPTED")).extract().path("results[0].profileId");
        given().contentType("application/json").body(body).post("/api/events")
                .then().statusCode(202)
                .body("duplicates", is(1))
                .body("results[0].status", is("DUPLICATE"))
                .body("results[0].profileId", is(profileId));
        given().get("/api/profiles/" + profileId).then().statusCode(200).body("timeline.size()", is(1));
    }

    private String ingestIdentify(String email) {
        return given().contentType("application/json").body("""
                        {"type":"identify","channel":"app","identifiers":{"email":"%s"},"traits":{"firstName":"Anna"}}
                        """.formatted(email))
                .post("/api/events")
                .then().statusCode(202).extract().path("results[0].profileId");
    }
}
