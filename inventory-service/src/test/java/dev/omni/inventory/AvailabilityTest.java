package dev.omni.inventory;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.contracts.availability.BackInStock;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

import static dev.omni.inventory.Fixtures.awaitEvent;
import static dev.omni.inventory.Fixtures.key;
import static dev.omni.inventory.Fixtures.move;
import static dev.omni.inventory.Fixtures.sku;
import static dev.omni.inventory.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Availability near me, across sizes, and back-in-stock notices. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class AvailabilityTest {

    /** Berlin Alexanderplatz, where the customer stands. */
    static final String NEAR = "52.5219,13.4132";

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void storesNearMeAreSortedByDistanceWithAvailableAndPickupPromise() {
        String product = unique("SNK");
        String sku = sku(product + "-42", product, "42");
        // ids carry the test's suffix so stores of other tests of this class stay out of the radius checks below
        String mitte = Fixtures.location(unique("mitte"), "STORE", 52.5246, 13.4020, true, false,
                Fixtures.ALWAYS_OPEN);                                                          // 0.82 km
        String kreuzberg = Fixtures.store(unique("kreuzberg"), 52.4986, 13.4030);               // 2.7 km
        String potsdam = Fixtures.store(unique("potsdam"), 52.3906, 13.0645);                   // 27 km
        String warehouse = Fixtures.location(unique("wh"), "WAREHOUSE", 52.5300, 13.4200, false, false,
                Fixtures.ALWAYS_OPEN);                                                          // no pickup
        move("RECEIPT", sku, mitte, 3);
        move("RECEIPT", sku, potsdam, 9);
        move("RECEIPT", sku, warehouse, 50);

        io.restassured.path.json.JsonPath nearby = given().queryParam("sku", sku).queryParam("near", NEAR)
                .queryParam("radiusKm", 10)
                .get("/api/availability")
                .then().statusCode(200)
                .body("sku", is(sku))
                .body("productId", is(product))
                .body("radiusKm", is(10.0f))
                .extract().jsonPath();
        // stores of the other tests of this class are nearby too, with none of this sku
        java.util.List<String> ids = nearby.getList("stores.locationId");
        assertThat(ids).contains(mitte, kreuzberg).doesNotContain(potsdam, warehouse);
        assertThat(ids.indexOf(mitte)).isLessThan(ids.indexOf(kreuzberg));
        java.util.List<Double> distances = nearby.getList("stores.distanceKm", Double.class);
        assertThat(distances).isSorted();
        Map<String, Object> first = nearby.getMap("stores[" + ids.indexOf(mitte) + "]");
        assertThat(first).containsEntry("available", 3).containsEntry("distanceKm", 0.82f);
        assertThat(((Map<?, ?>) first.get("pickup")).get("promise")).isIn("TODAY", "TOMORROW");
        Map<String, Object> second = nearby.getMap("stores[" + ids.indexOf(kreuzberg) + "]");
        assertThat(second).containsEntry("available", 0).containsEntry("pickup", null);
        String readyAt = given().queryParam("sku", sku).queryParam("near", NEAR).queryParam("inStockOnly", true)
                .get("/api/availability").then().extract().path("stores[0].pickup.readyAt");
        assertThat(OffsetDateTime.parse(readyAt)).isAfter(OffsetDateTime.now().plus(Duration.ofMinutes(119)));

        given().queryParam("sku", sku).queryParam("near", NEAR).queryParam("radiusKm", 50)
                .queryParam("inStockOnly", true)
                .get("/api/availability")
                .then().statusCode(200)
                .body("stores.locationId", contains(mitte, potsdam));
    }

    @Test
    void sizesOfAProductAtMyStore() {
        String product = unique("TEE");
        String small = sku(product + "-S", product, "S");
        String medium = sku(product + "-M", product, "M");
        String large = sku(product + "-L", product, "L");
        String store = Fixtures.store(unique("store"), 52.5246, 13.4020);
        move("RECEIPT", small, store, 2);
        move("RECEIPT", large, store, 1);

        given().queryParam("productId", product).queryParam("locationId", store)
                .get("/api/availability")
                .then().statusCode(200)
                .body("productId", is(product))
                .body("stores.size()", is(1))
                .body("stores[0].distanceKm", nullValue())
                .body("stores[0].available", is(3))
                .body("stores[0].skus.sku", contains(large, medium, small))
                .body("stores[0].skus.available", contains(1, 0, 2))
                .body("stores[0].skus[0].attributes.size", is("L"));
        given().queryParam("productId", product).queryParam("near", NEAR)
                .get("/api/availability")
                .then().statusCode(200)
                .body("stores.locationId", hasItems(store));
        given().queryParam("productId", product).get("/api/availability/online")
                .then().statusCode(200)
                .body("channel", is("online"))
                .body("skus.available", contains(0, 0, 0));
    }

    /**
     * Near me answers from this replica's in-memory index: its own writes at once, every replica's committed changes
     * from {@code omni.availability} within seconds, and an older picture arriving late never replaces a newer one.
     * The records here are what another replica's outbox would publish; the database is not touched by them, which
     * also shows the answer did not come from PostgreSQL.
     */
    @Test
    void nearMeFollowsTheAvailabilityTopicAndNeverGoesBackInTime() {
        String product = unique("IDX");
        String sku = sku(product + "-40", product, "40");
        String store = Fixtures.store(unique("idx"), 52.5246, 13.4020);
        move("RECEIPT", sku, store, 2);
        assertThat(nearMeAvailable(sku, store)).as("own write, at once").isEqualTo(2);

        Instant changed = Instant.now().plusSeconds(1);
        publish(sku, product, store, 9, changed);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(nearMeAvailable(sku, store)).isEqualTo(9));

        publish(sku, product, store, 4, changed.minusMillis(500));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .untilAsserted(() -> assertThat(nearMeAvailable(sku, store)).as("older picture ignored").isEqualTo(9));
        // reservations and the stock API still decide on PostgreSQL
        assertThat(Fixtures.stock(sku, store).getInt("available")).isEqualTo(2);

        move("SALE", sku, store, 1);
        assertThat(nearMeAvailable(sku, store)).as("a newer own write").isEqualTo(1);
    }

    private void publish(String sku, String product, String store, int available, Instant at) {
        AvailabilityChanged changed = new AvailabilityChanged(sku, product, store, available, 0, 0, 0, 0, available, at);
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.AVAILABILITY, sku + "@" + store,
                EventCodec.encode(CloudEvent.of(EventType.AVAILABILITY_CHANGED, Events.SOURCE, sku + "@" + store,
                        changed)))).awaitCompletion();
    }

    private static int nearMeAvailable(String sku, String store) {
        return given().queryParam("sku", sku).queryParam("near", "52.5246,13.4020").queryParam("radiusKm", 1)
                .queryParam("limit", 100)
                .get("/api/availability").then().statusCode(200).extract().jsonPath()
                .getInt("stores.find { it.locationId == '" + store + "' }.available");
    }

    @Test
    void badSearchesAreProblemsNamingTheParameter() {
        given().queryParam("sku", "X").queryParam("near", "52.5;13.4").get("/api/availability")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItems("near"));
        given().queryParam("sku", "X").queryParam("near", "95,13.4").get("/api/availability")
                .then().statusCode(400).body("violations.field", hasItems("near"));
        given().queryParam("sku", "X").queryParam("near", NEAR).queryParam("radiusKm", 5000).get("/api/availability")
                .then().statusCode(400).body("violations.field", hasItems("radiusKm"));
        given().queryParam("near", NEAR).get("/api/availability")
                .then().statusCode(400).body("violations.field", hasItems("sku"));
        given().queryParam("sku", "NO-SUCH-SKU").queryParam("near", NEAR).get("/api/availability")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void subscribersHearWhenTheirSkuIsBackAtTheirStoreOrOnline() {
        String product = unique("SNK");
        String sku = sku(product + "-45", product, "45");
        String store = Fixtures.store(unique("store"), 52.5246, 13.4020);
        String dc = Fixtures.location(unique("dc"), "ONLINE_DC", 51.396, 12.221, false, true, Fixtures.ALWAYS_OPEN);
        String atStore = given().contentType("application/json")
                .body(Map.of("profileId", "prf-lea", "sku", sku, "locationId", store))
                .post("/api/back-in-stock/subscriptions").then().statusCode(201).extract().path("id");
        given().contentType("application/json").body(Map.of("profileId", "prf-lea", "sku", sku, "locationId", store))
                .post("/api/back-in-stock/subscriptions").then().statusCode(200).body("id", is(atStore));
        given().contentType("application/json").body(Map.of("profileId", "prf-jonas", "sku", sku))
                .post("/api/back-in-stock/subscriptions").then().statusCode(201);
        given().contentType("application/json").body(Map.of("profileId", "prf-sophie", "sku", sku))
                .post("/api/back-in-stock/subscriptions").then().statusCode(201);

        try (ConsumerTask<String, String> availability = kafka.consumeStrings().fromTopics(Topics.AVAILABILITY)) {
            move("RECEIPT", sku, store, 2);
            CloudEvent<?> storeNotice = awaitEvent(availability, key("back-in-stock:" + sku + "@" + store));
            assertThat(storeNotice.type()).isEqualTo(EventType.BACK_IN_STOCK.type());
            BackInStock back = (BackInStock) storeNotice.data();
            assertThat(back.subscriberProfileIds()).containsExactly("prf-lea");
            assertThat(back.available()).isEqualTo(2);
            assertThat(back.productId()).isEqualTo(product);

            move("RECEIPT", sku, dc, 5);
            BackInStock online = (BackInStock) awaitEvent(availability, key("back-in-stock:" + sku)).data();
            assertThat(online.locationId()).isNull();
            assertThat(online.subscriberProfileIds()).containsExactly("prf-jonas", "prf-sophie");

            // sold out and back again: the notified subscribers are not told twice
            move("SALE", sku, store, 2);
            move("RECEIPT", sku, store, 1);
            String marker = unique("marker");
            Fixtures.sku(marker, product, "46");
            move("RECEIPT", marker, store, 1);
            awaitEvent(availability, key(marker + "@" + store));
            assertThat(Fixtures.events(availability, key("back-in-stock:" + sku + "@" + store))).hasSize(1);
        }
        given().get("/api/back-in-stock/subscriptions/" + atStore).then().statusCode(200)
                .body("notifiedAt", notNullValue());
    }

    @Test
    void badSubscriptionsAreProblems() {
        given().contentType("application/json").body(Map.of("profileId", "prf-x", "sku", "NO-SUCH-SKU"))
                .post("/api/back-in-stock/subscriptions").then().statusCode(400)
                .body("violations.field", hasItems("sku"));
        given().contentType("application/json").body(Map.of("sku", "A@B"))
                .post("/api/back-in-stock/subscriptions").then().statusCode(400)
                .body("violations.field", hasItems("profileId", "sku"));
    }

}
