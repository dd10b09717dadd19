package dev.omni.attribution;

import dev.omni.contracts.Channel;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import dev.omni.contracts.message.MessageStatusChanged;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.omni.attribution.Events.produce;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** Events on the three topics become touchpoints, conversions and journeys; repeats and poison are handled. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class EventConsumptionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void interactionsBecomeTouchpointsAndConversions() {
        String profile = Events.newProfile();
        produce(kafka,
                Events.visit(profile, Channel.WEB, T0, Map.of("utm_source", "google", "utm_medium", "cpc",
                        "utm_campaign", "spring-sale")),
                Events.interaction(profile, Channel.AD, "track", "ad_clicked", T0.plusSeconds(60),
                        Map.of("source", "meta", "cost", 0.85), null, "spring-sale"),
                Events.visit(profile, Channel.APP, T0.plusSeconds(120), Map.of()),
                Events.interaction(profile, Channel.APP, "identify", "identify", T0.plusSeconds(130), Map.of(), null,
                        null),
                Events.order(profile, Channel.POS, T0.plusSeconds(3600), "129.90"));

        await().atMost(WAIT).untilAsserted(() -> given().get("/api/touchpoints?profileId=" + profile)
                .then().statusCode(200).body("", hasSize(4)));
        given().get("/api/touchpoints?profileId=" + profile).then()
                .body("channel", contains("web", "ad", "app", "pos"))
                .body("source", contains("google", "meta", null, null))
                .body("medium", contains("cpc", null, null, null))
                .body("campaign", contains("spring-sale", "spring-sale", null, null))
                .body("direct", contains(false, false, true, false))
                .body("online", contains(true, true, true, false))
                .body("[1].cost", is(0.85f))
                .body("[3].event", is("order_completed"));
        given().get("/api/conversions?profileId=" + profile).then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].value", is(129.90f))
                .body("[0].currency", is("EUR"))
                .body("[0].channel", is("pos"))
                .body("[0].online", is(false));
    }

    @Test
    void redeliveredEventIsStoredOnce() {
        String profile = Events.newProfile();
        CloudEvent<InteractionRecorded> visit = Events.visit(profile, Channel.WEB, T0, Map.of());
        produce(kafka, visit, visit);
        produce(kafka, Events.visit(profile, Channel.STORE, T0.plusSeconds(600), Map.of()));

        // the marker is behind both copies on the profile's partition
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/touchpoints?profileId=" + profile)
                .then().body("channel", contains("web", "store")));
        given().get("/api/touchpoints?profileId=" + profile).then().body("", hasSize(2))
                .body("[0].id", is(visit.id().toString()));
    }

    @Test
    void openedAndClickedMessagesAreTouchpoints() {
        String profile = Events.newProfile();
        produce(kafka,
                Events.message(EventType.MESSAGE_SENT, profile, Channel.EMAIL, "winter", T0),
                Events.message(EventType.MESSAGE_OPENED, profile, Channel.EMAIL, "winter", T0.plusSeconds(60)),
                Events.message(EventType.MESSAGE_CLICKED, profile, Channel.SMS, null, T0.plusSeconds(120)));

        await().atMost(WAIT).untilAsserted(() -> given().get("/api/touchpoints?profileId=" + profile)
                .then().body("", hasSize(2)));
        given().get("/api/touchpoints?profileId=" + profile).then()
                .body("channel", contains("email", "sms"))
                .body("event", contains("message_opened", "message_clicked"))
                // a message without a campaign is credited to its journey
                .body("campaign", contains("winter", "journey-1"))
                .body("medium", contains("email", "sms"));
    }

    @Test
    void mergeJoinsJourneysAndErasureRemovesThem() {
        String survivor = Events.newProfile();
        String absorbed = Events.newProfile();
        produce(kafka,
                Events.message(EventType.MESSAGE_CLICKED, survivor, Channel.EMAIL, "welcome", T0),
                Events.order(absorbed, Channel.WEB, T0.plusSeconds(7200), "80.00"));
        await().atMost(WAIT).untilAsserted(() -> {
            given().get("/api/conversions?profileId=" + absorbed).then().body("", hasSize(1));
            given().get("/api/touchpoints?profileId=" + survivor).then().body("", hasSize(1));
        });
        String journeys = "/api/journeys?from=2025-03-01&to=2025-03-31&profileId=";
        given().get(journeys + survivor).then().statusCode(200)
                .body("journeys", hasSize(1))
                .body("journeys[0].conversion", nullValue());

        CloudEvent<ProfileMerged> merge = Events.merged(survivor, absorbed);
        produce(kafka, merge);

        await().atMost(WAIT).untilAsserted(() -> given().get(journeys + absorbed).then().statusCode(200)
                .body("profileId", is(survivor))
                .body("journeys", hasSize(1))
                .body("journeys[0].conversion.value", is(80.0f))
                .body("journeys[0].touches.channel", contains("email", "web")));

        produce(kafka, Events.unmerged(merge.data()));
        await().atMost(WAIT).untilAsserted(() -> given().get(journeys + absorbed).then()
                .body("profileId", is(absorbed))
                .body("journeys[0].touches.channel", contains("web")));
        given().get(journeys + survivor).then().body("journeys[0].conversion", nullValue());

        produce(kafka, Events.merged(survivor, absorbed));
        await().atMost(WAIT).untilAsserted(() -> given().get(journeys + absorbed).then()
                .body("profileId", is(survivor)));

        produce(kafka, Events.erased(survivor));
        await().atMost(WAIT).untilAsserted(() -> {
            given().get("/api/touchpoints?profileId=" + survivor).then().body("", hasSize(0));
            given().get("/api/touchpoints?profileId=" + absorbed).then().body("", hasSize(0));
        });
        given().get("/api/conversions?profileId=" + absorbed).then().body("", hasSize(0));
        given().get(journeys + survivor).then().body("journeys", hasSize(0));

        // an interaction still in flight for the absorbed profile is dropped; the marker behind it (same key) is not
        String marker = Events.newProfile();
        InteractionRecorded markerVisit = new InteractionRecorded(marker, "m-1", "page", "page", Channel.WEB,
                T0, Map.of(), null, null, null);
        produce(kafka, Events.order(absorbed, Channel.WEB, T0.plusSeconds(9000), "5.00"));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.INTERACTIONS, absorbed, EventCodec.encode(
                CloudEvent.of(EventType.INTERACTION_RECORDED, "/profile-service", absorbed, markerVisit))))
                .awaitCompletion();
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/touchpoints?profileId=" + marker)
                .then().body("", hasSize(1)));
        given().get("/api/touchpoints?profileId=" + absorbed).then().body("", hasSize(0));
        given().get("/api/conversions?profileId=" + absorbed).then().body("", hasSize(0));
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopics() {
        for (String topic : List.of(Topics.INTERACTIONS, Topics.MESSAGE_EVENTS, Topics.PROFILES)) {
            String poison = "{not json " + UUID.randomUUID();
            var dead = kafka.consumeStrings().fromTopics(Topics.deadLetter(topic));
            try {
                kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, "bad", poison)).awaitCompletion();
                // the topic may hold other tests' dead letters
                await().atMost(WAIT).untilAsserted(() -> assertThat(dead.getRecords())
                        .extracting(ConsumerRecord::value).as(topic).contains(poison));
            } finally {
                dead.stop();
            }
        }
        // the consumers keep going after poison
        String profile = Events.newProfile();
        produce(kafka, Events.interaction(profile, Channel.CALL_CENTRE, "track", "support_contacted", T0, Map.of(),
                new BigDecimal("0"), null));
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/conversions?profileId=" + profile)
                .then().body("", hasSize(1)).body("[0].online", is(false)));
    }

    @Test
    void oneFailingEventOfAPollIsDeadLetteredAndTheRestApplied() {
        String profile = Events.newProfile();
        CloudEvent<MessageStatusChanged> click = Events.message(EventType.MESSAGE_CLICKED, profile, Channel.EMAIL,
                "winter", T0);
        produce(kafka, click);
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/touchpoints?profileId=" + profile)
                .then().body("", hasSize(1)));

        // an interaction carrying the click's event id can never be stored (its touchpoint id is taken): the poll's
        // transaction fails, its records are applied one by one, and only that one, after its retries, and the
        // poison record go to the dead-letter topic
        CloudEvent<InteractionRecorded> template = Events.visit(profile, Channel.APP, T0.plusSeconds(30), Map.of());
        CloudEvent<InteractionRecorded> clash = new CloudEvent<>(template.specversion(), click.id(), template.source(),
                template.type(), template.subject(), template.time(), template.datacontenttype(), template.data());
        CloudEvent<InteractionRecorded> before = Events.visit(profile, Channel.WEB, T0.plusSeconds(60), Map.of());
        CloudEvent<InteractionRecorded> after = Events.visit(profile, Channel.STORE, T0.plusSeconds(120), Map.of());
        String poison = "{not json " + UUID.randomUUID();
        var deadLetters = kafka.consumeStrings().fromTopics(Topics.deadLetter(Topics.INTERACTIONS));
        try {
            kafka.produceStrings().fromRecords(List.of(record(before), record(before), record(clash),
                    new ProducerRecord<>(Topics.INTERACTIONS, profile, poison), record(after))).awaitCompletion();

            await().atMost(WAIT).untilAsserted(() -> given().get("/api/touchpoints?profileId=" + profile)
                    .then().body("channel", contains("email", "web", "store")));
            await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters.getRecords())
                    .extracting(ConsumerRecord::value).contains(poison, EventCodec.encode(clash)));
            ConsumerRecord<String, String> dead = deadLetters.getRecords().stream()
                    .filter(r -> r.value().equals(EventCodec.encode(clash))).findFirst().orElseThrow();
            assertThat(new String(dead.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8))
                    .isEqualTo(Topics.INTERACTIONS);
            assertThat(dead.headers().lastHeader("dead-letter-reason")).isNotNull();
            assertThat(deadLetters.getRecords()).extracting(ConsumerRecord::value)
                    .doesNotContain(EventCodec.encode(before), EventCodec.encode(after));
        } finally {
            deadLetters.stop();
        }
        given().get("/api/touchpoints?profileId=" + profile).then().body("", hasSize(3))
                .body("[1].id", is(before.id().toString()));
    }

    /**
     * Polls of hundreds of interactions whose handlers complete at once (no statement of their own: the erasures are
     * read per poll, the touchpoints written at the flush) are applied one after another without nesting; chained one
     * inside the other, such a poll never completed (no error logged, its transaction left open), which stopped the
     * consumer. This test fails that way against the nested chain.
     */
    @Test
    void burstOfInteractionsIsApplied() {
        List<CloudEvent<?>> burst = new java.util.ArrayList<>();
        List<String> profiles = new java.util.ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String profile = Events.newProfile();
            profiles.add(profile);
            burst.add(Events.visit(profile, Channel.WEB, T0.plusSeconds(i), Map.of()));
        }
        produce(kafka, burst.toArray(CloudEvent<?>[]::new));

        await().atMost(Duration.ofSeconds(90)).until(() -> touchpoints(profiles) == burst.size());
    }

    private static long touchpoints(List<String> profiles) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Panache.getSession()
                    .chain(session -> session.createNativeQuery(
                                    "SELECT count(*) FROM touchpoint WHERE profile_id = ANY(CAST(?1 AS text[]))",
                                    Long.class)
                            .setParameter(1, profiles.toArray(String[]::new)).getSingleResult())));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProducerRecord<String, String> record(CloudEvent<?> event) {
        return new ProducerRecord<>(event.eventType().topic(), event.key(), EventCodec.encode(event));
    }
}
