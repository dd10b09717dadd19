package dev.omni.profile;

import dev.omni.contracts.EventCodec;
import dev.omni.contracts.Topics;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.response.ValidatableResponse;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/**
 * The events the gateway's Segment API forwards (its fixture {@code sdk-batch.forwarded.json}, which the gateway's
 * {@code SegmentMapperTest} proves it produces from what Segment's analytics-node sends) go through the real
 * pipeline here: identity resolution as Segment documents it (anonymous → known on identify; alias previousId →
 * userId), dedupe by messageId, {@code omni.interactions}; and {@code atomic=true} refuses a batch whole.
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SegmentMappedEventsTest {

    static final Path FORWARDED = Path.of("..", "gateway", "src", "test", "resources", "segment",
            "sdk-batch.forwarded.json");

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void whatTheSegmentApiForwardsIsIngestedWithSegmentsIdentitySemantics() throws Exception {
        String batch = Files.readString(FORWARDED);
        ValidatableResponse answer = given().contentType("application/json").body(batch)
                .post("/api/events?atomic=true")
                .then().statusCode(202)
                .body("accepted", is(6)).body("rejected", is(0));
        List<String> profiles = answer.extract().path("results.profileId");
        // page, product view and identify of the first device: one customer, the visitor became known
        assertThat(profiles.get(1)).isEqualTo(profiles.get(0));
        assertThat(profiles.get(2)).isEqualTo(profiles.get(0));
        // the second device starts anonymous, then alias(previousId → userId) joins it to the customer
        assertThat(profiles.get(3)).isNotEqualTo(profiles.get(0));
        assertThat(profiles.get(4)).isEqualTo(profiles.get(0));
        answer.body("results[4].mergedProfileIds", hasItem(profiles.get(3)));
        assertThat(profiles.get(5)).isEqualTo(profiles.get(0));
        String customer = profiles.get(0);

        for (String[] identifier : new String[][] {{"anonymousId", "seg-anon-2"}, {"userId", "seg-user-1"},
                {"email", "lea.segment@example.com"}}) {
            given().queryParam("identifierType", identifier[0]).queryParam("identifier", identifier[1])
                    .get("/api/profiles")
                    .then().statusCode(200).body("id", is(customer)).body("traits.firstName", is("Lea"));
        }
        given().get("/api/profiles/" + customer + "/loyalty").then().statusCode(200).body("balance", is(59));

        Map<String, InteractionRecorded> recorded;
        try (ConsumerTask<String, String> interactions = kafka.consumeStrings().fromTopics(Topics.INTERACTIONS)) {
            recorded = await().atMost(Duration.ofSeconds(30)).until(() -> interactions.getRecords().stream()
                    .map(ConsumerRecord::value)
                    .map(value -> EventCodec.decode(value, InteractionRecorded.class).data())
                    .filter(data -> data.messageId() != null && data.messageId().startsWith("seg-fixture-"))
                    .collect(Collectors.toMap(InteractionRecorded::messageId, data -> data, (a, b) -> a)),
                    found -> found.size() == 6);
        }
        assertThat(recorded.get("seg-fixture-1").kind()).isEqualTo("page");
        assertThat(recorded.get("seg-fixture-1").campaign()).isEqualTo("spring-sale");
        assertThat(recorded.get("seg-fixture-2").event()).isEqualTo("product_viewed");
        assertThat(recorded.get("seg-fixture-2").occurredAt()).hasToString("2026-03-01T11:59:52Z");
        assertThat(recorded.get("seg-fixture-5").event()).isEqualTo("alias");
        assertThat(recorded.get("seg-fixture-6").event()).isEqualTo("order_completed");
        assertThat(recorded.get("seg-fixture-6").currency()).isEqualTo("EUR");

        // an SDK retrying the same batch: every messageId is a duplicate, nothing is applied twice
        given().contentType("application/json").body(batch).post("/api/events?atomic=true")
                .then().statusCode(202).body("accepted", is(0)).body("duplicates", is(6))
                .body("results.status", everyItem(is("DUPLICATE")));
        given().get("/api/profiles/" + customer + "/loyalty").then().statusCode(200).body("balance", is(59));
    }

    @Test
    void atomicRefusesTheWholeBatchWhenOneEventBreaksTheIdentityRules() {
        given().contentType("application/json").body("""
                        [{"type":"track","event":"fine","channel":"web","identifiers":{"anonymousId":"seg-atomic-ok"},
                          "messageId":"seg-atomic-1"},
                         {"type":"track","event":"bad","channel":"web","identifiers":{"userId":"undefined"},
                          "messageId":"seg-atomic-2"}]""")
                .post("/api/events?atomic=true")
                .then().statusCode(400)
                .body("violations.field", hasItems("[1].identifiers.userId"));
        given().queryParam("identifierType", "anonymousId").queryParam("identifier", "seg-atomic-ok")
                .get("/api/profiles")
                .then().statusCode(404);
    }
}
