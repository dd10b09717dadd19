package dev.omni.inventory;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.reservation.ReservationAtRisk;
import dev.omni.contracts.reservation.ReservationReallocated;
import dev.omni.contracts.stock.MovementKind;
import dev.omni.contracts.stock.StockMovementRecorded;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.omni.inventory.Fixtures.awaitEvent;
import static dev.omni.inventory.Fixtures.move;
import static dev.omni.inventory.Fixtures.reserve;
import static dev.omni.inventory.Fixtures.sku;
import static dev.omni.inventory.Fixtures.stock;
import static dev.omni.inventory.Fixtures.store;
import static dev.omni.inventory.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** A store sale racing the reservations at that store: at risk, re-allocated, told. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class PosRaceTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    ConsumerTask<String, String> reservations;
    String sku;

    @BeforeEach
    void catalog() {
        reservations = kafka.consumeStrings().fromTopics(Topics.RESERVATIONS);
        sku = sku(unique("SNK"), "SNK-RUNNER", "42");
    }

    @AfterEach
    void close() {
        reservations.close();
    }

    @Test
    void saleLeavingLessOnHandThanReservedPutsTheNewestReservationAtRisk() {
        String mitte = store(unique("store"), 52.5246, 13.4020);
        move("RECEIPT", sku, mitte, 3);
        String older = reserveAt(mitte, "prf-older", 2, false);
        String newer = reserveAt(mitte, "prf-newer", 1, false);

        move("SALE", sku, mitte, 1);

        CloudEvent<?> event = awaitEvent(reservations, r -> newer.equals(r.key()) && r.value().contains("at-risk"));
        assertThat(event.type()).isEqualTo(EventType.RESERVATION_AT_RISK.type());
        ReservationAtRisk atRisk = (ReservationAtRisk) event.data();
        assertThat(atRisk.profileId()).isEqualTo("prf-newer");
        assertThat(atRisk.locationId()).isEqualTo(mitte);
        assertThat(atRisk.shortfall()).isEqualTo(1);
        given().get("/api/reservations/" + newer).then().body("atRisk", is(true)).body("lines[0].atRisk", is(true));
        given().get("/api/reservations/" + older).then().body("atRisk", is(false));
        assertThat(stock(sku, mitte).getInt("available")).isZero();

        // stock arrives: the shelf covers every reservation again
        move("RECEIPT", sku, mitte, 1);
        given().get("/api/reservations/" + newer).then().body("atRisk", is(false));
    }

    @Test
    void releasingAnAtRiskReservationPassesNoRiskToOthersItStillHas() {
        String mitte = store(unique("store"), 52.5246, 13.4020);
        move("RECEIPT", sku, mitte, 3);
        String oldest = reserveAt(mitte, "prf-1", 1, false);
        String middle = reserveAt(mitte, "prf-2", 1, false);
        String newest = reserveAt(mitte, "prf-3", 1, false);

        move("SALE", sku, mitte, 2);
        given().get("/api/reservations/" + newest).then().body("atRisk", is(true));
        given().get("/api/reservations/" + middle).then().body("atRisk", is(true));

        given().contentType("application/json").post("/api/reservations/" + newest + "/release")
                .then().statusCode(200);
        // one unit on the shelf, two held: the middle one is still uncovered, the oldest is not
        given().get("/api/reservations/" + middle).then().body("atRisk", is(true));
        given().get("/api/reservations/" + oldest).then().body("atRisk", is(false));
    }

    @Test
    void atRiskReservationMovesToTheNearestStoreWithStockWhenTheCustomerAllowsIt() {
        String mitte = store(unique("mitte"), 52.5246, 13.4020);
        String alexanderplatz = store(unique("alex"), 52.5219, 13.4132);      // 0.8 km, no stock
        String kreuzberg = store(unique("kreuzberg"), 52.4986, 13.4030);      // 2.9 km, stock
        String potsdam = store(unique("potsdam"), 52.3906, 13.0645);          // 27 km, more stock
        move("RECEIPT", sku, mitte, 1);
        move("RECEIPT", sku, kreuzberg, 1);
        move("RECEIPT", sku, potsdam, 5);
        String id = reserveAt(mitte, "prf-anna", 1, true);

        // the POS sale arrives the way partners send it: through the gateway onto omni.stock-movements
        String key = sku + "@" + mitte;
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.STOCK_MOVEMENTS, key, EventCodec.encode(
                CloudEvent.of(EventType.STOCK_MOVEMENT_RECORDED, "/gateway", key, new StockMovementRecorded(
                        unique("pos"), MovementKind.SALE, sku, mitte, 1, null, null, "pos", Instant.now())))))
                .awaitCompletion();

        CloudEvent<?> event = awaitEvent(reservations, r -> id.equals(r.key()) && r.value().contains("reallocated"));
        ReservationReallocated moved = (ReservationReallocated) event.data();
        assertThat(moved.fromLocationId()).isEqualTo(mitte);
        assertThat(moved.toLocationId()).isEqualTo(kreuzberg);
        assertThat(moved.profileId()).isEqualTo("prf-anna");
        given().get("/api/reservations/" + id).then()
                .body("pickupLocationId", is(kreuzberg))
                .body("lines[0].locationId", is(kreuzberg))
                .body("atRisk", is(false))
                .body("status", is("ACTIVE"));
        assertThat(stock(sku, mitte).getInt("reserved")).isZero();
        assertThat(stock(sku, kreuzberg).getInt("reserved")).isEqualTo(1);
        assertThat(stock(sku, kreuzberg).getInt("available")).isZero();
        assertThat(stock(sku, alexanderplatz).getInt("reserved")).isZero();
        assertThat(Fixtures.events(reservations, r -> id.equals(r.key())).stream().map(CloudEvent::type).toList())
                .containsExactly(EventType.RESERVATION_CHANGED.type(), EventType.RESERVATION_AT_RISK.type(),
                        EventType.RESERVATION_REALLOCATED.type());
    }

    @Test
    void reservationStaysAtRiskWhenNoStoreInTheRadiusHasStock() {
        String mitte = store(unique("mitte"), 52.5246, 13.4020);
        String potsdam = store(unique("potsdam"), 52.3906, 13.0645);
        move("RECEIPT", sku, mitte, 1);
        move("RECEIPT", sku, potsdam, 5);
        String id = given().contentType("application/json").body("""
                        {"profileId":"prf-ben","pickupLocationId":"%s","allowReallocation":true,"reallocationRadiusKm":10,
                         "lines":[{"sku":"%s","quantity":1}]}""".formatted(mitte, sku))
                .post("/api/reservations").then().statusCode(201).extract().path("id");

        move("SALE", sku, mitte, 1);

        awaitEvent(reservations, r -> id.equals(r.key()) && r.value().contains("at-risk"));
        given().get("/api/reservations/" + id).then().body("atRisk", is(true)).body("pickupLocationId", is(mitte));
        assertThat(stock(sku, potsdam).getInt("reserved")).isZero();
    }

    @Test
    void salesRacingReservationsNeverLeaveAReservationUnflagged() throws Exception {
        String mitte = store(unique("mitte"), 52.5246, 13.4020);
        String profileId = unique("prf");
        move("RECEIPT", sku, mitte, 10);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        int reservedByRequests = 0;
        try {
            for (int i = 0; i < 16; i++) {
                boolean sale = i % 3 == 0;
                Callable<Integer> call = () -> {
                    start.await();
                    return sale
                            ? given().contentType("application/json").body(Map.of("movementId", unique("pos"), "kind",
                                    "SALE", "sku", sku, "locationId", mitte, "quantity", 1))
                                    .post("/api/stock-movements").statusCode()
                            : given().contentType("application/json").body("""
                                    {"profileId":"%s","pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1}]}"""
                                    .formatted(profileId, mitte, sku))
                                    .post("/api/reservations").statusCode();
                };
                answers.add(clients.submit(call));
            }
            start.countDown();
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isIn(200, 201, 409);
                if (answer.get() == 201) {
                    reservedByRequests++;
                }
            }
        } finally {
            clients.shutdownNow();
        }
        JsonPath after = stock(sku, mitte);
        int onHand = after.getInt("onHand");
        int reserved = after.getInt("reserved");
        assertThat(onHand).isEqualTo(10 - 6);
        assertThat(reserved).isEqualTo(reservedByRequests);
        assertThat(after.getInt("available")).isEqualTo(Math.max(0, onHand - reserved));
        // every unit the shelf no longer covers is held by a reservation flagged at risk, and no other
        assertThat(flaggedUnits(profileId)).isEqualTo(Math.max(0, reserved - onHand));
    }

    /** Units held by the profile's live reservations whose lines are flagged at risk. */
    private static int flaggedUnits(String profileId) {
        List<Map<String, Object>> reservations = given().queryParam("profileId", profileId).get("/api/reservations")
                .then().statusCode(200).extract().path("findAll { it.status == 'ACTIVE' }.lines.flatten()");
        return reservations.stream().filter(line -> Boolean.TRUE.equals(line.get("atRisk")))
                .mapToInt(line -> (Integer) line.get("quantity")).sum();
    }

    private String reserveAt(String storeId, String profileId, int quantity, boolean allowReallocation) {
        return reserve("""
                {"profileId":"%s","pickupLocationId":"%s","allowReallocation":%s,"lines":[{"sku":"%s","quantity":%d}]}
                """.formatted(profileId, storeId, allowReallocation, sku, quantity));
    }
}
