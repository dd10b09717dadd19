package dev.omni.messaging;

import dev.omni.contracts.Channel;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.contracts.availability.BackInStock;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.profile.ConsentChanged;
import dev.omni.contracts.profile.Identifier;
import dev.omni.contracts.profile.ProfileCreated;
import dev.omni.contracts.profile.ProfileIdentified;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.messaging.support.Fixtures;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class EventConsumptionTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void identifiedEventGivesContactPointsTraitsAndLocale() {
        UUID profileId = Fixtures.profile(kafka, "Fay@Example.com", "0049 151 2345 6789", "tok-fay",
                Map.of("firstName", "Fay", "locale", "de_DE", "timeZone", "Europe/Berlin"));

        given().get("/api/contacts/" + profileId).then().statusCode(200)
                .body("email", is("fay@example.com"))
                .body("phone", is("+4915123456789"))
                .body("pushToken", is(true))
                .body("locale", is("de-DE"))
                .body("timeZone", is("Europe/Berlin"))
                .body("traits.firstName", is("Fay"));
    }

    @Test
    void redeliveredEventIsAppliedOnce() {
        UUID profileId = UUID.randomUUID();
        CloudEvent<ProfileIdentified> first = identified(profileId, "old@example.com");
        CloudEvent<ProfileIdentified> second = identified(profileId, "new@example.com");
        String key = profileId.toString();
        // the first event again after the second: applied again, it would bring the old address back
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.PROFILES, key, EventCodec.encode(first)),
                new ProducerRecord<>(Topics.PROFILES, key, EventCodec.encode(second)),
                new ProducerRecord<>(Topics.PROFILES, key, EventCodec.encode(first))).awaitCompletion();
        // a marker behind the repeat on the same partition: once it is applied, the repeat was consumed
        Fixtures.produce(kafka, CloudEvent.of(EventType.CONSENT_CHANGED, Fixtures.SOURCE, key,
                new ConsentChanged(key, "email", "marketing", "granted", "web", Instant.now())));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/contacts/" + profileId)
                .then().statusCode(200).body("consents.channel", hasItem("email")));
        given().get("/api/contacts/" + profileId).then().body("email", is("new@example.com"));
    }

    @Test
    void olderConsentDoesNotOverrideANewerOne() {
        UUID profileId = Fixtures.profile(kafka, "gus@example.com", null, null, Map.of());
        Instant now = Instant.now();
        String key = profileId.toString();
        Fixtures.produce(kafka, CloudEvent.of(EventType.CONSENT_CHANGED, Fixtures.SOURCE, key,
                new ConsentChanged(key, "sms", "marketing", "granted", "app", now)));
        Fixtures.produce(kafka, CloudEvent.of(EventType.CONSENT_CHANGED, Fixtures.SOURCE, key,
                new ConsentChanged(key, "sms", "marketing", "revoked", "app", now.minusSeconds(60))));
        Fixtures.produce(kafka, CloudEvent.of(EventType.CONSENT_CHANGED, Fixtures.SOURCE, key,
                new ConsentChanged(key, "push", "marketing", "granted", "app", now)));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/contacts/" + profileId)
                .then().body("consents.channel", hasItem("push")));
        given().get("/api/contacts/" + profileId).then()
                .body("consents.find { it.channel == 'sms' }.status", is("granted"));
    }

    @Test
    void mergeGivesTheSurvivorTheAbsorbedContactPointsAndConsents() {
        UUID survivor = Fixtures.profile(kafka, "hal@example.com", null, null, Map.of());
        UUID absorbed = Fixtures.profile(kafka, null, "+4917011112222", null, Map.of());
        Fixtures.consent(kafka, absorbed, "marketing", "granted", "sms");

        Fixtures.produce(kafka, CloudEvent.of(EventType.PROFILE_MERGED, Fixtures.SOURCE, survivor.toString(),
                new ProfileMerged(UUID.randomUUID().toString(), survivor.toString(), absorbed.toString(),
                        List.of(new Identifier("phone", "+4917011112222")), "same phone", Instant.now())));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/contacts/" + survivor)
                .then().body("phone", is("+4917011112222")).body("consents.channel", hasItem("sms")));
        given().get("/api/contacts/" + survivor).then().body("email", is("hal@example.com"));
        given().get("/api/contacts/" + absorbed).then().statusCode(404);
    }

    @Test
    void poisonRecordGoesToEachTopicsDeadLetterTopic() {
        for (String topic : List.of(Topics.PROFILES, Topics.INTERACTIONS, Topics.AVAILABILITY, Topics.RESERVATIONS)) {
            String poison = "{not json " + UUID.randomUUID();
            kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, "bad", poison)).awaitCompletion();
            awaitDeadLetter(topic, poison);
        }
    }

    @Test
    void eventWithAProfileIdThatIsNoIdIsDeadLettered() {
        CloudEvent<ProfileIdentified> bad = CloudEvent.of(EventType.PROFILE_IDENTIFIED, Fixtures.SOURCE, "nobody",
                new ProfileIdentified("nobody", List.of(), Map.of(), Instant.now()));
        String value = EventCodec.encode(bad);
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.PROFILES, "nobody", value)).awaitCompletion();
        awaitDeadLetter(Topics.PROFILES, value);
    }

    @Test
    void stockPicturesNoJourneyStartsFromAreNotRecordedButBackInStockIs() {
        String sku = "SKU-" + UUID.randomUUID();
        CloudEvent<AvailabilityChanged> picture = CloudEvent.of(EventType.AVAILABILITY_CHANGED, Fixtures.SOURCE,
                sku + "@store-1", new AvailabilityChanged(sku, "P-1", "store-1", 5, 0, 0, 0, 0, 5, Instant.now()));
        CloudEvent<BackInStock> back = CloudEvent.of(EventType.BACK_IN_STOCK, Fixtures.SOURCE, sku + "@store-1",
                new BackInStock(sku, "P-1", "store-1", 5, List.of(UUID.randomUUID().toString()), Instant.now()));
        // one key, one partition: the picture is consumed before the notice
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.AVAILABILITY, sku + "@store-1", EventCodec.encode(picture)),
                new ProducerRecord<>(Topics.AVAILABILITY, sku + "@store-1", EventCodec.encode(back))).awaitCompletion();

        await().atMost(Duration.ofSeconds(30)).until(() -> processed("messaging-availability", back.id()) == 1);
        assertThat(processed("messaging-availability", picture.id())).isZero();
    }

    @Test
    void interactionsNoJourneyStartsOrEndsOnAreNotRecordedButAnExitIs() {
        UUID profileId = UUID.randomUUID();
        CloudEvent<InteractionRecorded> view = interaction(profileId, "product_viewed");
        CloudEvent<InteractionRecorded> order = interaction(profileId, "order_completed");
        // one key, one partition: the view is consumed before the order (the built-in cart journey's exit)
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.INTERACTIONS, profileId.toString(), EventCodec.encode(view)),
                new ProducerRecord<>(Topics.INTERACTIONS, profileId.toString(), EventCodec.encode(order)))
                .awaitCompletion();

        await().atMost(Duration.ofSeconds(30)).until(() -> processed("messaging-interactions", order.id()) == 1);
        assertThat(processed("messaging-interactions", view.id())).isZero();
    }

    @Test
    void aProfileCreatedWithoutAContactPointIsNotRecordedButOneWithAnEmailIs() {
        UUID anonymous = UUID.randomUUID();
        UUID known = UUID.randomUUID();
        CloudEvent<ProfileCreated> visitor = created(anonymous, new Identifier("anonymousId", "a-" + anonymous));
        CloudEvent<ProfileCreated> customer = created(known, new Identifier("anonymousId", "a-" + known),
                new Identifier("email", "Ida@Example.com"));
        // one key, one partition: the visitor is consumed before the customer
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.PROFILES, "created-" + known, EventCodec.encode(visitor)),
                new ProducerRecord<>(Topics.PROFILES, "created-" + known, EventCodec.encode(customer)))
                .awaitCompletion();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/contacts/" + known)
                .then().statusCode(200).body("email", is("ida@example.com")));
        assertThat(processed("messaging-profiles", customer.id())).isOne();
        assertThat(processed("messaging-profiles", visitor.id())).isZero();
        given().get("/api/contacts/" + anonymous).then().statusCode(404);
    }

    private static CloudEvent<ProfileCreated> created(UUID profileId, Identifier... identifiers) {
        return CloudEvent.of(EventType.PROFILE_CREATED, Fixtures.SOURCE, profileId.toString(),
                new ProfileCreated(profileId.toString(), List.of(identifiers), Instant.now()));
    }

    private static CloudEvent<InteractionRecorded> interaction(UUID profileId, String event) {
        return CloudEvent.of(EventType.INTERACTION_RECORDED, Fixtures.SOURCE, profileId.toString(),
                new InteractionRecorded(profileId.toString(), UUID.randomUUID().toString(), "track", event,
                        Channel.WEB, Instant.now(), Map.of(), null, null, null));
    }

    private static long processed(String consumer, UUID eventId) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Panache.getSession()
                    .chain(session -> session.createNativeQuery("SELECT count(*) FROM processed_event "
                            + "WHERE consumer = ?1 AND event_id = ?2", Long.class)
                            .setParameter(1, consumer).setParameter(2, eventId).getSingleResult())));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitDeadLetter(String topic, String value) {
        try (ConsumerTask<String, String> dead = kafka.consumeStrings().fromTopics(Topics.deadLetter(topic))) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> dead.getRecords().stream().anyMatch(r -> value.equals(r.value())));
        }
    }

    private static CloudEvent<ProfileIdentified> identified(UUID profileId, String email) {
        return CloudEvent.of(EventType.PROFILE_IDENTIFIED, Fixtures.SOURCE, profileId.toString(),
                new ProfileIdentified(profileId.toString(), List.of(new Identifier("email", email)), Map.of(),
                        Instant.now()));
    }
}
