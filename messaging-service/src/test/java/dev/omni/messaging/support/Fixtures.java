package dev.omni.messaging.support;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.profile.ConsentChanged;
import dev.omni.contracts.profile.Identifier;
import dev.omni.contracts.profile.ProfileIdentified;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Puts profiles into the service the way it learns of them (events on Kafka) and reads what it publishes. */
public final class Fixtures {

    public static final String SOURCE = "/profile-service";

    private Fixtures() {
    }

    /** A profile with these contact points and traits; returns when messaging has applied it. */
    public static UUID profile(KafkaCompanion kafka, String email, String phone, String pushToken,
            Map<String, Object> traits) {
        UUID profileId = UUID.randomUUID();
        List<Identifier> identifiers = new ArrayList<>();
        identifiers.add(new Identifier("anonymousId", "anon-" + profileId));
        if (email != null) {
            identifiers.add(new Identifier("email", email));
        }
        if (phone != null) {
            identifiers.add(new Identifier("phone", phone));
        }
        if (pushToken != null) {
            identifiers.add(new Identifier("pushToken", pushToken));
        }
        produce(kafka, CloudEvent.of(EventType.PROFILE_IDENTIFIED, SOURCE, profileId.toString(),
                new ProfileIdentified(profileId.toString(), identifiers, traits, Instant.now())));
        awaitContact(profileId);
        return profileId;
    }

    /** Grants (or denies) consents and waits until messaging has them. */
    public static void consent(KafkaCompanion kafka, UUID profileId, String purpose, String status, String... channels) {
        for (String channel : channels) {
            produce(kafka, CloudEvent.of(EventType.CONSENT_CHANGED, SOURCE, profileId.toString(),
                    new ConsentChanged(profileId.toString(), channel, purpose, status, "web", Instant.now())));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<Map<String, Object>> consents = given().get("/api/contacts/" + profileId).then().extract()
                    .path("consents");
            return channels.length == consents.stream()
                    .filter(c -> purpose.equals(c.get("purpose")) && status.equals(c.get("status"))
                            && List.of(channels).contains(c.get("channel")))
                    .count();
        });
    }

    public static void awaitContact(UUID profileId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/contacts/" + profileId).statusCode() == 200);
    }

    public static void produce(KafkaCompanion kafka, CloudEvent<?> event) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(event.eventType().topic(), event.key(),
                EventCodec.encode(event))).awaitCompletion();
    }

    /** Waits for a record on {@code omni.message-events} about {@code messageId} that matches. */
    public static CloudEvent<?> messageEvent(KafkaCompanion kafka, String messageId, Predicate<CloudEvent<?>> matching) {
        try (ConsumerTask<String, String> events = kafka.consumeStrings().fromTopics(Topics.MESSAGE_EVENTS)) {
            return await().atMost(Duration.ofSeconds(60)).until(() -> events.getRecords().stream()
                    .filter(r -> messageId.equals(r.key()))
                    .map(ConsumerRecord::value)
                    .<CloudEvent<?>>map(EventCodec::decode)
                    .filter(matching)
                    .findFirst(), java.util.Optional::isPresent).orElseThrow();
        }
    }

    /** Every event about {@code messageId} published so far (reads the topic from the start). */
    public static List<CloudEvent<?>> messageEvents(KafkaCompanion kafka, String messageId, int atLeast) {
        try (ConsumerTask<String, String> events = kafka.consumeStrings().fromTopics(Topics.MESSAGE_EVENTS)) {
            return await().atMost(Duration.ofSeconds(60)).until(() -> events.getRecords().stream()
                    .filter(r -> messageId.equals(r.key()))
                    .map(ConsumerRecord::value)
                    .<CloudEvent<?>>map(EventCodec::decode)
                    .toList(), list -> list.size() >= atLeast);
        }
    }
}
