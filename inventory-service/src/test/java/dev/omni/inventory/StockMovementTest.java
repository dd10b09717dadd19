package dev.omni.inventory;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.contracts.availability.ChannelAvailabilityChanged;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.omni.inventory.Fixtures.awaitEvent;
import static dev.omni.inventory.Fixtures.key;
import static dev.omni.inventory.Fixtures.move;
import static dev.omni.inventory.Fixtures.sku;
import static dev.omni.inventory.Fixtures.stock;
import static dev.omni.inventory.Fixtures.store;
import static dev.omni.inventory.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Movements over HTTP: quantities, availability events, idempotency, compare-and-set, batches, transfers. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class StockMovementTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    ConsumerTask<String, String> availability;
    String sku;
    String storeId;

    @BeforeEach
    void catalog() {
        availability = kafka.consumeStrings().fromTopics(Topics.AVAILABILITY);
        sku = sku(unique("SNK"), "SNK-RUNNER", "42");
        storeId = store(unique("store"), 52.5246, 13.4020);
    }

    @AfterEach
    void close() {
        availability.close();
    }

    @Test
    void receiptRaisesOnHandAndPublishesTheNewPicture() {
        given().contentType("application/json").body("""
                        {"movementId":"%s","kind":"RECEIPT","sku":"%s","locationId":"%s","quantity":7,"source":"demo"}
                        """.formatted(unique("mv"), sku, storeId))
                .post("/api/stock-movements")
                .then().statusCode(200)
                .body("status", is("APPLIED"))
                .body("stock.onHand", is(7))
                .body("stock.available", is(7));

        CloudEvent<?> event = awaitEvent(availability, key(sku + "@" + storeId));
        assertThat(event.type()).isEqualTo(EventType.AVAILABILITY_CHANGED.type());
        AvailabilityChanged changed = (AvailabilityChanged) event.data();
        assertThat(changed.productId()).isEqualTo("SNK-RUNNER");
        assertThat(changed.onHand()).isEqualTo(7);
        assertThat(changed.available()).isEqualTo(7);
        assertThat(stock(sku, storeId).getInt("onHand")).isEqualTo(7);
    }

    @Test
    void repeatedMovementIdGetsTheSameAnswerAndIsNotAppliedTwice() {
        String body = """
                {"movementId":"%s","kind":"RECEIPT","sku":"%s","locationId":"%s","quantity":5}
                """.formatted(unique("mv"), sku, storeId);
        given().contentType("application/json").body(body).post("/api/stock-movements")
                .then().statusCode(200).body("status", is("APPLIED")).body("stock.onHand", is(5));
        move("RECEIPT", sku, storeId, 1);
        given().contentType("application/json").body(body).post("/api/stock-movements")
                .then().statusCode(200).body("status", is("DUPLICATE")).body("stock.onHand", is(5));
        assertThat(stock(sku, storeId).getInt("onHand")).isEqualTo(6);
    }

    @Test
    void movementIdReusedForAnotherMovementIsAConflict() {
        String id = unique("mv");
        given().contentType("application/json").body(Map.of("movementId", id, "kind", "RECEIPT", "sku", sku,
                "locationId", storeId, "quantity", 5)).post("/api/stock-movements").then().statusCode(200);
        given().contentType("application/json").body(Map.of("movementId", id, "kind", "SALE", "sku", sku,
                        "locationId", storeId, "quantity", 5)).post("/api/stock-movements")
                .then().statusCode(409).contentType("application/problem+json");
        assertThat(stock(sku, storeId).getInt("onHand")).isEqualTo(5);
    }

    @Test
    void staleExpectedOnHandIsRejectedWith409AndNothingApplied() {
        move("RECEIPT", sku, storeId, 10);
        given().contentType("application/json").body(Map.of("movementId", unique("mv"), "kind", "SALE", "sku", sku,
                        "locationId", storeId, "quantity", 2, "expectedOnHand", 9))
                .post("/api/stock-movements")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("onHand", is(10))
                .body("detail", containsString("expected on hand 9"));
        given().contentType("application/json").body(Map.of("movementId", unique("mv"), "kind", "SALE", "sku", sku,
                        "locationId", storeId, "quantity", 2, "expectedOnHand", 10))
                .post("/api/stock-movements")
                .then().statusCode(200).body("stock.onHand", is(8));
    }

    @Test
    void everyKindMovesOnHandItsWay() {
        move("RECEIPT", sku, storeId, 10);
        assertThat(move("SALE", sku, storeId, 3).getInt("stock.onHand")).isEqualTo(7);
        assertThat(move("RETURN", sku, storeId, 1).getInt("stock.onHand")).isEqualTo(8);
        assertThat(move("ADJUSTMENT", sku, storeId, -2).getInt("stock.onHand")).isEqualTo(6);
        assertThat(move("COUNT", sku, storeId, 4).getInt("stock.onHand")).isEqualTo(4);
        assertThat(move("COUNT", sku, storeId, 0).getInt("stock.available")).isEqualTo(0);
    }

    @Test
    void batchIsAppliedInOrderAndReportsEachMovement() {
        String first = unique("mv");
        given().contentType("application/json").body(List.of(
                        Map.of("movementId", first, "kind", "RECEIPT", "sku", sku, "locationId", storeId, "quantity", 4),
                        Map.of("movementId", unique("mv"), "kind", "SALE", "sku", sku, "locationId", storeId,
                                "quantity", 1, "expectedOnHand", 4),
                        Map.of("movementId", first, "kind", "RECEIPT", "sku", sku, "locationId", storeId, "quantity", 4)))
                .post("/api/stock-movements")
                .then().statusCode(200)
                .body("applied", is(2))
                .body("duplicates", is(1))
                .body("results[1].index", is(1))
                .body("results[1].stock.onHand", is(3))
                .body("results[2].status", is("DUPLICATE"));
        assertThat(stock(sku, storeId).getInt("onHand")).isEqualTo(3);
    }

    @Test
    void batchWithAStaleMovementAppliesNothing() {
        given().contentType("application/json").body(List.of(
                        Map.of("movementId", unique("mv"), "kind", "RECEIPT", "sku", sku, "locationId", storeId,
                                "quantity", 4),
                        Map.of("movementId", unique("mv"), "kind", "SALE", "sku", sku, "locationId", storeId,
                                "quantity", 1, "expectedOnHand", 99)))
                .post("/api/stock-movements")
                .then().statusCode(409).body("detail", containsString("[1]"));
        assertThat(stock(sku, storeId).getInt("onHand")).isZero();
    }

    @Test
    void transferMovesStockBetweenStoresInTwoLegs() {
        String other = store(unique("store"), 52.50, 13.30);
        move("RECEIPT", sku, storeId, 5);
        String transfer = unique("tr");
        given().contentType("application/json").body(Map.of("movementId", unique("mv"), "kind", "TRANSFER_OUT",
                "sku", sku, "locationId", storeId, "quantity", 2, "transferId", transfer))
                .post("/api/stock-movements").then().statusCode(200).body("stock.onHand", is(3));
        given().queryParam("transferId", transfer).get("/api/stock-movements").then().statusCode(200)
                .body("size()", is(1));
        given().contentType("application/json").body(Map.of("movementId", unique("mv"), "kind", "TRANSFER_IN",
                "sku", sku, "locationId", other, "quantity", 3, "transferId", transfer))
                .post("/api/stock-movements").then().statusCode(409).body("detail", containsString("more than"));
        given().contentType("application/json").body(Map.of("movementId", unique("mv"), "kind", "TRANSFER_IN",
                "sku", sku, "locationId", other, "quantity", 2, "transferId", transfer))
                .post("/api/stock-movements").then().statusCode(200).body("stock.onHand", is(2));
        given().contentType("application/json").body(Map.of("movementId", unique("mv"), "kind", "TRANSFER_IN",
                "sku", sku, "locationId", other, "quantity", 1, "transferId", transfer))
                .post("/api/stock-movements").then().statusCode(409).body("detail", containsString("already"));
    }

    @Test
    void safetyStockAndDamagedLowerAvailable() {
        move("RECEIPT", sku, storeId, 10);
        given().contentType("application/json").body("{\"safetyStock\":2,\"damaged\":1}")
                .patch("/api/stock/" + sku + "/" + storeId)
                .then().statusCode(200)
                .body("onHand", is(10)).body("safetyStock", is(2)).body("damaged", is(1)).body("available", is(7));
    }

    @Test
    void onlineAvailabilityIsTheSumOverLocationsThatFulfilOnline() {
        String dc = Fixtures.location(unique("dc"), "ONLINE_DC", 51.396, 12.221, false, true, Fixtures.ALWAYS_OPEN);
        String warehouse = Fixtures.location(unique("wh"), "WAREHOUSE", 50.86, 9.70, false, true,
                Fixtures.ALWAYS_OPEN);
        move("RECEIPT", sku, dc, 3);
        move("RECEIPT", sku, warehouse, 4);
        move("RECEIPT", sku, storeId, 5);
        given().queryParam("sku", sku).get("/api/availability/online").then().statusCode(200)
                .body("skus[0].available", is(7));
        given().get("/api/stock/" + sku).then().statusCode(200).body("onlineAvailable", is(7))
                .body("locations.size()", is(3));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Fixtures.events(availability, key(sku + "@online")).stream()
                        .map(e -> ((ChannelAvailabilityChanged) e.data()).available()).toList())
                        .containsExactly(3, 7));
    }

    @Test
    void invalidMovementsAreProblemsNamingTheFieldAndApplyNothing() {
        given().contentType("application/json").body(List.of(
                        Map.of("movementId", unique("mv"), "kind", "RECEIPT", "sku", sku, "locationId", storeId,
                                "quantity", 4),
                        Map.of("movementId", unique("mv"), "kind", "SALE", "sku", sku, "locationId", storeId,
                                "quantity", -2),
                        Map.of("movementId", unique("mv"), "kind", "STOLEN", "sku", sku, "locationId", storeId,
                                "quantity", 1),
                        Map.of("movementId", unique("mv"), "kind", "TRANSFER_OUT", "sku", sku, "locationId", storeId,
                                "quantity", "two")))
                .post("/api/stock-movements")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("[1].quantity", "[2].kind",
                        "[3].quantity"));
        given().contentType("application/json").body(List.of(
                        Map.of("movementId", unique("mv"), "kind", "RECEIPT", "sku", sku, "locationId", storeId,
                                "quantity", 4),
                        Map.of("movementId", unique("mv"), "kind", "RECEIPT", "sku", "NO-SUCH-SKU",
                                "locationId", "no-such-store", "quantity", 1)))
                .post("/api/stock-movements")
                .then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("[1].sku", "[1].locationId"));
        given().contentType("application/json").body(Map.of("movementId", unique("mv"), "kind", "TRANSFER_IN",
                        "sku", sku, "locationId", storeId, "quantity", 1))
                .post("/api/stock-movements")
                .then().statusCode(400).body("violations.field", org.hamcrest.Matchers.contains("transferId"));
        given().contentType("application/json").body("{\"movementId\": ").post("/api/stock-movements")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/json").body("\"receipt\"").post("/api/stock-movements")
                .then().statusCode(400).body("violations.field", org.hamcrest.Matchers.contains("body"));
        assertThat(stock(sku, storeId).getInt("onHand")).isZero();
    }

    @Test
    void hugeBatchIsRefusedWhole() {
        List<Map<String, Object>> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 501; i++) {
            batch.add(Map.of("movementId", unique("mv"), "kind", "RECEIPT", "sku", sku, "locationId", storeId,
                    "quantity", 1));
        }
        given().contentType("application/json").body(batch).post("/api/stock-movements")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("500"));
        assertThat(stock(sku, storeId).getInt("onHand")).isZero();
    }

    @Test
    void concurrentSingleMovementsAreAppliedTogetherYetEachAnsweredOnItsOwn() throws Exception {
        String repeated = unique("mv");
        List<Map<String, Object>> bodies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            bodies.add(Map.of("movementId", unique("mv"), "kind", "RECEIPT", "sku", sku, "locationId", storeId,
                    "quantity", 1));
        }
        for (int i = 0; i < 3; i++) {
            bodies.add(Map.of("movementId", repeated, "kind", "RECEIPT", "sku", sku, "locationId", storeId,
                    "quantity", 1));
            bodies.add(Map.of("movementId", unique("mv"), "kind", "RECEIPT", "sku", "NO-SUCH-SKU",
                    "locationId", storeId, "quantity", 1));
            bodies.add(Map.of("movementId", unique("mv"), "kind", "SALE", "sku", sku, "locationId", storeId,
                    "quantity", 1, "expectedOnHand", 1_000));
        }
        Collections.shuffle(bodies, new Random(7));
        double groupedBefore = groupedMovements();
        ExecutorService clients = Executors.newFixedThreadPool(bodies.size());
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (Map<String, Object> body : bodies) {
                answers.add(clients.submit(() -> given().contentType("application/json").body(body)
                        .post("/api/stock-movements")));
            }
            Map<String, Integer> applied = new HashMap<>();
            for (int i = 0; i < bodies.size(); i++) {
                Response answer = answers.get(i).get();
                Map<String, Object> body = bodies.get(i);
                String kind = "NO-SUCH-SKU".equals(body.get("sku")) ? "unknown" : body.containsKey("expectedOnHand")
                        ? "stale" : repeated.equals(body.get("movementId")) ? "repeated" : "receipt";
                int expected = switch (kind) {
                    case "unknown" -> 400;
                    case "stale" -> 409;
                    default -> 200;
                };
                assertThat(answer.statusCode()).as(kind + ": " + answer.asString()).isEqualTo(expected);
                if (expected == 200) {
                    applied.merge(kind + ":" + answer.jsonPath().getString("status"), 1, Integer::sum);
                }
            }
            // the repeated id is applied once; its other two requests are told DUPLICATE
            assertThat(applied).containsEntry("receipt:APPLIED", 40).containsEntry("repeated:APPLIED", 1)
                    .containsEntry("repeated:DUPLICATE", 2);
        } finally {
            clients.shutdownNow();
        }
        assertThat(stock(sku, storeId).getInt("onHand")).isEqualTo(41);
        assertThat(groupedMovements() - groupedBefore).as("movements applied in groups of more than one")
                .isPositive();
    }

    /** Movements applied in group transactions beyond one per group: sum minus count of the group-size summary. */
    private static double groupedMovements() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metric(metrics, "omni_inventory_movements_group_size_sum")
                - metric(metrics, "omni_inventory_movements_group_size_count");
    }

    private static double metric(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
