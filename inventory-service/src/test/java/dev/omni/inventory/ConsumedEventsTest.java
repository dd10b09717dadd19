package dev.omni.inventory;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.contracts.profile.ProfileUnmerged;
import dev.omni.contracts.stock.MovementKind;
import dev.omni.contracts.stock.StockMovementRecorded;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.omni.inventory.Fixtures.awaitEvent;
import static dev.omni.inventory.Fixtures.key;
import static dev.omni.inventory.Fixtures.move;
import static dev.omni.inventory.Fixtures.sku;
import static dev.omni.inventory.Fixtures.stock;
import static dev.omni.inventory.Fixtures.store;
import static dev.omni.inventory.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** What inventory consumes: movements from {@code omni.stock-movements}, erasures and merges from {@code omni.profiles}. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ConsumedEventsTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void movementFromKafkaChangesQuantitiesAndIsPublishedOnAvailability() {
        String sku = sku(unique("SNK"), "SNK-RUNNER", "42");
        String storeId = store(unique("store"), 52.5246, 13.4020);
        try (ConsumerTask<String, String> availability = kafka.consumeStrings().fromTopics(Topics.AVAILABILITY)) {
            produceMovement(movement(unique("pos"), MovementKind.RECEIPT, sku, storeId, 6, null));

            CloudEvent<?> event = awaitEvent(availability, key(sku + "@" + storeId));
            assertThat(event.type()).isEqualTo(EventType.AVAILABILITY_CHANGED.type());
            assertThat(((AvailabilityChanged) event.data()).onHand()).isEqualTo(6);
        }
        assertThat(stock(sku, storeId).getInt("available")).isEqualTo(6);
    }

    @Test
    void redeliveredMovementIsAppliedOnce() {
        String sku = sku(unique("SNK"), "SNK-RUNNER", "43");
        String storeId = store(unique("store"), 52.5246, 13.4020);
        StockMovementRecorded sale = movement(unique("pos"), MovementKind.RECEIPT, sku, storeId, 4, null);
        // the same event twice (outbox redelivery), then the same movement in a new event (partner retry)
        String value = EventCodec.encode(CloudEvent.of(EventType.STOCK_MOVEMENT_RECORDED, "/gateway",
                sku + "@" + storeId, sale));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.STOCK_MOVEMENTS, sku + "@" + storeId, value),
                new ProducerRecord<>(Topics.STOCK_MOVEMENTS, sku + "@" + storeId, value)).awaitCompletion();
        produceMovement(sale);
        // a marker behind them on the same partition: once it is applied, so are the three copies before it
        String marker = unique("pos");
        produceMovement(movement(marker, MovementKind.RECEIPT, sku, storeId, 1, null));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().get("/api/stock-movements/" + marker).then().statusCode(200));
        assertThat(stock(sku, storeId).getInt("onHand")).isEqualTo(5);
    }

    @Test
    void staleCompareAndSetFromKafkaIsRecordedAsRejected() {
        String sku = sku(unique("SNK"), "SNK-RUNNER", "44");
        String storeId = store(unique("store"), 52.5246, 13.4020);
        move("RECEIPT", sku, storeId, 3);
        String id = unique("wms");
        produceMovement(movement(id, MovementKind.COUNT, sku, storeId, 10, 2));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/stock-movements/" + id)
                .then().statusCode(200).body("status", is("REJECTED")).body("onHand", is(3)));
        assertThat(stock(sku, storeId).getInt("onHand")).isEqualTo(3);
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopic() {
        String key = unique("bad");
        try (ConsumerTask<String, String> dead = kafka.consumeStrings()
                .fromTopics(Topics.deadLetter(Topics.STOCK_MOVEMENTS))) {
            kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.STOCK_MOVEMENTS, key, "{not json"))
                    .awaitCompletion();
            ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(30))
                    .until(() -> dead.getRecords().stream().filter(r -> key.equals(r.key())).findFirst(),
                            java.util.Optional::isPresent).orElseThrow();
            assertThat(record.value()).isEqualTo("{not json");
        }
    }

    @Test
    void movementOfAnUnknownSkuOrNegativeQuantityIsDeadLetteredAndNothingApplied() {
        String storeId = store(unique("store"), 52.5246, 13.4020);
        String sku = sku(unique("SNK"), "SNK-RUNNER", "45");
        try (ConsumerTask<String, String> dead = kafka.consumeStrings()
                .fromTopics(Topics.deadLetter(Topics.STOCK_MOVEMENTS))) {
            produceMovement(movement(unique("pos"), MovementKind.RECEIPT, "NO-SUCH-SKU", storeId, 1, null));
            produceMovement(movement(unique("pos"), MovementKind.SALE, sku, storeId, -3, null));
            await().atMost(Duration.ofSeconds(30)).until(() -> dead.getRecords().stream()
                    .filter(r -> r.key().endsWith("@" + storeId)).count() == 2);
        }
        assertThat(stock(sku, storeId).getInt("onHand")).isZero();
    }

    @Test
    void erasedProfileLosesItsSubscriptionsAndItsReservationsTheirOwner() {
        String profileId = unique("prf");
        String sku = sku(unique("SNK"), "SNK-RUNNER", "42");
        String storeId = store(unique("store"), 52.5246, 13.4020);
        move("RECEIPT", sku, storeId, 2);
        String reservation = Fixtures.reserve("""
                {"profileId":"%s","pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1}]}
                """.formatted(profileId, storeId, sku));
        given().contentType("application/json").body(Map.of("profileId", profileId, "sku", sku))
                .post("/api/back-in-stock/subscriptions").then().statusCode(201);

        produceProfileEvent(CloudEvent.of(EventType.PROFILE_ERASED, "/profile-service", profileId,
                new ProfileErased(profileId, Instant.now())));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().queryParam("profileId", profileId)
                .get("/api/back-in-stock/subscriptions").then().statusCode(200).body("$", empty()));
        given().get("/api/reservations/" + reservation).then().statusCode(200)
                .body("profileId", nullValue())
                .body("status", is("ACTIVE"));
        assertThat(stock(sku, storeId).getInt("reserved")).isEqualTo(1);
    }

    @Test
    void mergedProfilesAreReadAsOneCustomerUntilUnmergedAndErasedTogether() {
        String survivor = unique("prf");
        String absorbed = unique("prf");
        String mergeId = unique("mrg");
        String sku = sku(unique("SNK"), "SNK-RUNNER", "42");
        String storeId = store(unique("store"), 52.5246, 13.4020);
        move("RECEIPT", sku, storeId, 2);
        String reservation = Fixtures.reserve("""
                {"profileId":"%s","pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1}]}
                """.formatted(absorbed, storeId, sku));
        given().contentType("application/json").body(Map.of("profileId", absorbed, "sku", sku))
                .post("/api/back-in-stock/subscriptions").then().statusCode(201);
        given().contentType("application/json").body(Map.of("profileId", survivor, "sku", sku))
                .post("/api/back-in-stock/subscriptions").then().statusCode(201);

        produceProfileEvent(CloudEvent.of(EventType.PROFILE_MERGED, "/profile-service", survivor,
                new ProfileMerged(mergeId, survivor, absorbed, List.of(), "shared email", Instant.now())));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().queryParam("profileId", survivor)
                .get("/api/reservations").then().body("id", contains(reservation)));
        // nothing moved: the reservation is still the absorbed profile's
        given().get("/api/reservations/" + reservation).then().body("profileId", is(absorbed));
        given().queryParam("profileId", survivor).get("/api/back-in-stock/subscriptions").then()
                .body("profileId", containsInAnyOrder(survivor, absorbed));

        produceProfileEvent(CloudEvent.of(EventType.PROFILE_UNMERGED, "/profile-service", survivor,
                new ProfileUnmerged(mergeId, survivor, absorbed, List.of(), Instant.now())));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().queryParam("profileId", survivor)
                .get("/api/reservations").then().body("$", empty()));
        given().queryParam("profileId", absorbed).get("/api/reservations").then().body("id", contains(reservation));

        // merged again, then the customer is erased: both profiles' data goes
        produceProfileEvent(CloudEvent.of(EventType.PROFILE_MERGED, "/profile-service", survivor,
                new ProfileMerged(unique("mrg"), survivor, absorbed, List.of(), "shared email", Instant.now())));
        produceProfileEvent(CloudEvent.of(EventType.PROFILE_ERASED, "/profile-service", survivor,
                new ProfileErased(survivor, Instant.now())));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/reservations/" + reservation)
                .then().body("profileId", nullValue()));
        given().queryParam("profileId", absorbed).get("/api/back-in-stock/subscriptions").then().body("$", empty());
    }

    private void produceMovement(StockMovementRecorded movement) {
        String key = movement.sku() + "@" + movement.locationId();
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.STOCK_MOVEMENTS, key,
                EventCodec.encode(CloudEvent.of(EventType.STOCK_MOVEMENT_RECORDED, "/gateway", key, movement))))
                .awaitCompletion();
    }

    private void produceProfileEvent(CloudEvent<?> event) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.PROFILES, event.key(), EventCodec.encode(event)))
                .awaitCompletion();
    }

    private static StockMovementRecorded movement(String id, MovementKind kind, String sku, String locationId,
            int quantity, Integer expectedOnHand) {
        return new StockMovementRecorded(id, kind, sku, locationId, quantity, expectedOnHand, null, "pos",
                Instant.now());
    }
}
