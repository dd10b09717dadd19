package dev.omni.profile;

import dev.omni.contracts.Channel;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class MessageEventConsumerTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void sentMessageLandsOnTheTimelineOnceEvenIfRedelivered() {
        String profileId = given().contentType("application/json")
                .body("{\"type\":\"page\",\"channel\":\"web\",\"identifiers\":{\"anonymousId\":\"m-" + UUID.randomUUID() + "\"}}")
                .post("/api/events").then().statusCode(202).extract().path("results[0].profileId");
        CloudEvent<MessageStatusChanged> sent = CloudEvent.of(EventType.MESSAGE_SENT, "/messaging-service", "msg-1",
                new MessageStatusChanged("msg-1", profileId, Channel.EMAIL, "cart-reminder", "cart-abandonment",
                        "winter-sale", "smtp", null, null, Instant.now()));
        String value = EventCodec.encode(sent);
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.MESSAGE_EVENTS, "msg-1", value),
                new ProducerRecord<>(Topics.MESSAGE_EVENTS, "msg-1", value)).awaitCompletion();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/profiles/" + profileId)
                .then().statusCode(200).body("timeline.name", hasItem("omni.message.sent")));
        // the second copy is consumed after the first; once the marker below is on the timeline, both were
        CloudEvent<MessageStatusChanged> opened = CloudEvent.of(EventType.MESSAGE_OPENED, "/messaging-service", "msg-1",
                new MessageStatusChanged("msg-1", profileId, Channel.EMAIL, "cart-reminder", null, null, "smtp", null,
                        null, Instant.now()));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.MESSAGE_EVENTS, "msg-1",
                EventCodec.encode(opened))).awaitCompletion();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/profiles/" + profileId)
                .then().body("timeline.name", hasItem("omni.message.opened")));
        given().get("/api/profiles/" + profileId).then()
                .body("timeline.findAll { it.name == 'omni.message.sent' }.size()", is(1));
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopic() {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.MESSAGE_EVENTS, "bad", "{not json"))
                .awaitCompletion();
        var dead = kafka.consumeStrings().fromTopics(Topics.deadLetter(Topics.MESSAGE_EVENTS), 1)
                .awaitCompletion(Duration.ofSeconds(20)).getRecords();
        assertThat(dead.get(0).value()).isEqualTo("{not json");
    }
}
