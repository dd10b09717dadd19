package dev.omni.profile;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.profile.ingest.IngestResolver;
import dev.omni.testing.ServiceInfraResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class EventIngestionTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Inject
    IngestResolver resolver;

    @Inject
    Pool pool;

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

    /**
     * The accept log between the 202 and the resolver: with the resolver stopped (as if the process died right after
     * the accept committed) the events wait in the log, a repeat is already a duplicate, and when a resolver runs
     * again every accepted event reaches omni.interactions exactly once, in order, with its profile.
     */
    @Test
    void acceptedEventsSurviveUntilResolvedAndDedupeHoldsAcrossBothStages() throws InterruptedException {
        String run = UUID.randomUUID().toString();
        String visitor = "a-" + run;
        List<String> messageIds = List.of(run + "-1", run + "-2", run + "-3", run + "-4");
        String batch = """
                [{"type":"page","channel":"web","messageId":"%s","identifiers":{"anonymousId":"%s"}},
                 {"type":"track","event":"product_viewed","channel":"app","messageId":"%s",
                  "identifiers":{"anonymousId":"%s"},"properties":{"sku":"SKU-%s"}},
                 {"type":"identify","channel":"app","messageId":"%s",
                  "identifiers":{"anonymousId":"%s","email":"%s@example.com"},"traits":{"firstName":"Ida"}},
                 {"type":"page","channel":"web","messageId":"%s","identifiers":{"email":"%s@example.com"}}]
                """.formatted(messageIds.get(0), visitor, messageIds.get(1), visitor, run, messageIds.get(2), visitor,
                run, messageIds.get(3), run);
        try (ConsumerTask<String, String> interactions = kafka.consumeStrings().fromTopics(Topics.INTERACTIONS)) {
            resolver.pause();
            try {
                given().contentType("application/json").body(batch).queryParam("wait", false).post("/api/events")
                        .then().statusCode(202)
                        .body("accepted", is(4))
                        .body("results.status", contains("ACCEPTED", "ACCEPTED", "ACCEPTED", "ACCEPTED"))
                        .body("results[0].profileId", nullValue());
                assertThat(staged(messageIds)).isEqualTo(4);
                // a repeat while the first is still unresolved: ignored, nothing staged twice
                given().contentType("application/json").body(batch).queryParam("wait", false).post("/api/events")
                        .then().statusCode(202)
                        .body("duplicates", is(4))
                        .body("results.status", contains("DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE"));
                assertThat(staged(messageIds)).isEqualTo(4);
            } finally {
                resolver.resume();
            }
            List<CloudEvent<InteractionRecorded>> events = await().atMost(Api.PUBLISHED_WITHIN).until(() ->
                    interactions.getRecords().stream()
                            .map(r -> EventCodec.decode(r.value(), InteractionRecorded.class))
                            .filter(e -> e.data().messageId() != null && messageIds.contains(e.data().messageId()))
                            .toList(), list -> list.size() >= 4);
            assertThat(events).extracting(e -> e.data().messageId()).containsExactlyElementsOf(messageIds);
            assertThat(events).extracting(e -> e.data().profileId()).containsOnly(events.get(0).data().profileId());
            await().atMost(Api.PUBLISHED_WITHIN).until(() -> staged(messageIds) == 0);
            String profileId = events.get(0).data().profileId();
            // resolved now: a repeat names the profile, and nothing more is published
            given().contentType("application/json").body(batch).post("/api/events")
                    .then().statusCode(202)
                    .body("results.status", contains("DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE"))
                    .body("results.profileId", contains(profileId, profileId, profileId, profileId));
            given().get("/api/profiles/" + profileId).then().statusCode(200)
                    .body("traits.firstName", is("Ida"))
                    .body("timeline.size()", is(4));
            given().get("/api/profiles/" + profileId + "/continuity").then().statusCode(200)
                    .body("recentlyViewed.sku", contains("SKU-" + run));
            Thread.sleep(2_000);
            long copies = interactions.getRecords().stream()
                    .filter(r -> messageIds.stream().anyMatch(id -> r.value().contains(id))).count();
            assertThat(copies).isEqualTo(4);
        }
    }

    /**
     * An accept takes its seq when it inserts and is visible when it commits, so a slow one can commit after the
     * resolver read past its seq (it reads from where its last rounds ended). Such an event is still resolved, by the
     * next read from the head. Here the slow accept is played by reserving a seq first and committing the event
     * under it after later events were resolved and the resolver's resume point (test margin 0.2 s) moved past it.
     */
    @Test
    void anEventCommittedAfterLaterOnesWereReadIsStillResolved() throws InterruptedException {
        String run = UUID.randomUUID().toString();
        long reserved = pool.query("SELECT nextval('accepted_event_seq_seq')").execute()
                .await().atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
        String later = Api.page("web", "later-" + run);
        assertThat(later).isNotNull();
        Thread.sleep(300);
        // one more round after the margin: the resolver now reads only after the seq of "later"
        assertThat(Api.page("web", "later-" + run)).isEqualTo(later);
        String messageId = "slow-" + run;
        String payload = """
                {"type":"page","channel":"web","messageId":"%s","identifiers":{"anonymousId":"slow-%s"}}"""
                .formatted(messageId, run);
        try (ConsumerTask<String, String> interactions = kafka.consumeStrings().fromTopics(Topics.INTERACTIONS)) {
            pool.withTransaction(connection -> connection.preparedQuery(
                            "INSERT INTO ingested_message (message_id, received_at) VALUES ($1, now())")
                    .execute(Tuple.of(messageId))
                    .chain(() -> connection.preparedQuery("""
                            INSERT INTO accepted_event (seq, batch_index, message_id, payload, awaited, accepted_at)
                            VALUES ($1, 0, $2, $3, false, now())""").execute(Tuple.of(reserved, messageId, payload))))
                    .await().atMost(Duration.ofSeconds(30));
            resolver.wake();
            CloudEvent<InteractionRecorded> event = await().atMost(Api.PUBLISHED_WITHIN).until(() ->
                    interactions.getRecords().stream()
                            .map(r -> EventCodec.decode(r.value(), InteractionRecorded.class))
                            .filter(e -> messageId.equals(e.data().messageId())).findFirst(), Optional::isPresent)
                    .orElseThrow();
            assertThat(event.data().profileId()).isNotNull().isNotEqualTo(later);
        }
        assertThat(staged(List.of(messageId))).isZero();
    }

    /** Segment's e-commerce spec puts an order's value, currency and campaign in properties: they count the same. */
    @Test
    void orderValueInPropertiesIsTheInteractionsValue() {
        String anonymousId = "order-" + UUID.randomUUID();
        String profileId = Api.accepted("""
                {"type":"track","event":"order_completed","channel":"pos","identifiers":{"anonymousId":"%s"},
                 "properties":{"orderId":"POS-1","value":129.9,"currency":"EUR","campaign":"autumn"}}
                """.formatted(anonymousId));
        ConsumerRecord<String, String> record;
        try (ConsumerTask<String, String> interactions = kafka.consumeStrings().fromTopics(Topics.INTERACTIONS)) {
            record = await().atMost(Duration.ofSeconds(20)).until(() -> interactions.getRecords().stream()
                    .filter(r -> profileId.equals(r.key())).findFirst(), Optional::isPresent).orElseThrow();
        }
        InteractionRecorded data = EventCodec.decode(record.value(), InteractionRecorded.class).data();
        assertThat(data.value()).isEqualByComparingTo("129.9");
        assertThat(data.currency()).isEqualTo("EUR");
        assertThat(data.campaign()).isEqualTo("autumn");
    }

    /** A batch of returning and new visitors (the set-based path) answers with every event's profile. */
    @Test
    void batchOfKnownAndNewVisitorsResolvesEachToItsProfile() {
        String run = UUID.randomUUID().toString();
        String known = Api.page("web", "k-" + run);
        String body = """
                [{"type":"page","channel":"web","identifiers":{"anonymousId":"k-%s"}},
                 {"type":"page","channel":"web","identifiers":{"anonymousId":"n-%s"}},
                 {"type":"track","event":"product_viewed","channel":"app","identifiers":{"anonymousId":"n-%s"},
                  "properties":{"sku":"SKU-1"}},
                 {"type":"page","channel":"app","identifiers":{"anonymousId":"k-%s"}}]
                """.formatted(run, run, run, run);
        List<String> profiles = given().contentType("application/json").body(body).post("/api/events")
                .then().statusCode(202).body("accepted", is(4)).extract().path("results.profileId");
        assertThat(profiles.get(0)).isEqualTo(known);
        assertThat(profiles.get(3)).isEqualTo(known);
        assertThat(profiles.get(1)).isNotNull().isNotEqualTo(known).isEqualTo(profiles.get(2));
        given().queryParam("identifierType", "anonymousId").queryParam("identifier", "n-" + run)
                .get("/api/profiles").then().statusCode(200).body("id", is(profiles.get(1)))
                .body("timeline.size()", is(2));
        given().get("/api/profiles/" + known).then().statusCode(200).body("timeline.size()", is(3));
    }

    private long staged(List<String> messageIds) {
        return pool.preparedQuery("SELECT count(*) FROM accepted_event WHERE message_id = ANY($1)")
                .execute(Tuple.of(messageIds.toArray(String[]::new)))
                .await().atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
    }

    private String ingestIdentify(String email) {
        return given().contentType("application/json").body("""
                        {"type":"identify","channel":"app","identifiers":{"email":"%s"},"traits":{"firstName":"Anna"}}
                        """.formatted(email))
                .post("/api/events")
                .then().statusCode(202).extract().path("results[0].profileId");
    }
}
