package dev.omni.inventory;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.contracts.reservation.ReservationChanged;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.omni.inventory.Fixtures.awaitEvent;
import static dev.omni.inventory.Fixtures.key;
import static dev.omni.inventory.Fixtures.move;
import static dev.omni.inventory.Fixtures.reserve;
import static dev.omni.inventory.Fixtures.sku;
import static dev.omni.inventory.Fixtures.stock;
import static dev.omni.inventory.Fixtures.store;
import static dev.omni.inventory.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/** Reservations: no oversell under concurrency, bundles, idempotency, the lifecycle and its events, expiry. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ReservationTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Inject
    DataSource dataSource;

    ConsumerTask<String, String> reservations;
    String sku;
    String storeId;

    @BeforeEach
    void catalog() {
        reservations = kafka.consumeStrings().fromTopics(Topics.RESERVATIONS);
        sku = sku(unique("SNK"), "SNK-RUNNER", "42");
        storeId = store(unique("store"), 52.5246, 13.4020);
    }

    @AfterEach
    void close() {
        reservations.close();
    }

    /**
     * Concurrent reservations of one sku@location are reserved in groups: requests of 3 and of 1 unit against 10 units
     * never oversell, a group whose sum does not fit takes those that fit in arrival order, the others are refused
     * alone, and every 201 holds its units in PostgreSQL.
     */
    @Test
    void groupedReservationsOfMixedSizesNeverOversell() throws Exception {
        move("RECEIPT", sku, storeId, 10);
        List<Integer> quantities = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            quantities.add(i % 2 == 0 ? 3 : 1);
        }
        List<Integer> codes = concurrently(quantities.stream().map(quantity -> """
                {"pickupLocationId":"%s","lines":[{"sku":"%s","quantity":%d}]}""".formatted(storeId, sku, quantity))
                .toList());
        assertThat(codes).containsOnly(201, 409);
        int reservedByAnswers = 0;
        for (int i = 0; i < codes.size(); i++) {
            reservedByAnswers += codes.get(i) == 201 ? quantities.get(i) : 0;
        }
        // 32 one-unit requests are more than 10 units: whatever the order, the last unit finds a taker
        assertThat(reservedByAnswers).isEqualTo(10);
        assertThat(stock(sku, storeId).getInt("reserved")).isEqualTo(10);
        assertThat(stock(sku, storeId).getInt("available")).isZero();
        assertThat(activeHeld(sku)).containsExactly((long) codes.stream().filter(c -> c == 201).count(), 10L);
    }

    /**
     * A group's skus and locations are checked once for all its requests: among concurrent requests for one
     * sku@location, one naming a pickup store that does not exist gets its 400 alone, and every other is reserved.
     */
    @Test
    void anInvalidRequestInAGroupIsRefusedAloneAndTheOthersAreReserved() throws Exception {
        move("RECEIPT", sku, storeId, 100);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            bodies.add(i == 15
                    ? "{\"pickupLocationId\":\"no-such-store\",\"lines\":[{\"sku\":\"%s\",\"locationId\":\"%s\",\"quantity\":1}]}"
                            .formatted(sku, storeId)
                    : "{\"pickupLocationId\":\"%s\",\"lines\":[{\"sku\":\"%s\",\"quantity\":1}]}".formatted(storeId, sku));
        }
        List<Integer> codes = concurrently(bodies);
        assertThat(codes.get(15)).isEqualTo(400);
        assertThat(codes.subList(0, 15)).containsOnly(201);
        assertThat(codes.subList(16, 30)).containsOnly(201);
        assertThat(stock(sku, storeId).getInt("reserved")).isEqualTo(29);
        assertThat(activeHeld(sku)).containsExactly(29L, 29L);
    }

    /**
     * A group whose transaction fails part-way (here a line PostgreSQL refuses) leaves nothing written: each of its
     * requests then runs alone, the others are reserved and the failing one holds no row and no unit.
     */
    @Test
    void aFailureInsideAGroupLeavesNothingHalfWritten() throws Exception {
        move("RECEIPT", sku, storeId, 100);
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute("""
                    CREATE OR REPLACE FUNCTION test_refuse_line() RETURNS trigger AS $$ BEGIN
                      IF NEW.sku = '%s' AND NEW.quantity = 7 THEN RAISE EXCEPTION 'line refused by the test'; END IF;
                      RETURN NEW; END $$ LANGUAGE plpgsql""".formatted(sku));
            statement.execute("CREATE TRIGGER test_refuse_line BEFORE INSERT ON reservation_line FOR EACH ROW "
                    + "EXECUTE FUNCTION test_refuse_line()");
        }
        try {
            List<Integer> quantities = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                quantities.add(i == 20 ? 7 : 1);
            }
            List<Integer> codes = concurrently(quantities.stream().map(quantity -> """
                    {"pickupLocationId":"%s","lines":[{"sku":"%s","quantity":%d}]}""".formatted(storeId, sku,
                    quantity)).toList());
            assertThat(codes.get(20)).isEqualTo(500);
            assertThat(codes.subList(0, 20)).containsOnly(201);
            assertThat(codes.subList(21, 40)).containsOnly(201);
            assertThat(stock(sku, storeId).getInt("reserved")).isEqualTo(39);
            assertThat(activeHeld(sku)).containsExactly(39L, 39L);
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement orphans = connection.prepareStatement("SELECT count(*) FROM reservation r "
                            + "WHERE r.pickup_location_id = ? AND NOT EXISTS "
                            + "(SELECT 1 FROM reservation_line l WHERE l.reservation_id = r.id)")) {
                orphans.setString(1, storeId);
                try (ResultSet row = orphans.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getLong(1)).as("reservations without their lines").isZero();
                }
            }
        } finally {
            try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
                statement.execute("DROP TRIGGER test_refuse_line ON reservation_line");
                statement.execute("DROP FUNCTION test_refuse_line()");
            }
        }
    }

    /** Posts every body at once from as many client threads; the statuses in the bodies' order. */
    private static List<Integer> concurrently(List<String> bodies) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(bodies.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (String body : bodies) {
                statuses.add(clients.submit(() -> {
                    start.await();
                    return given().contentType("application/json").body(body).post("/api/reservations").statusCode();
                }));
            }
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                codes.add(status.get(120, TimeUnit.SECONDS));
            }
            return codes;
        } finally {
            clients.shutdownNow();
        }
    }

    /** ACTIVE reservations holding {@code sku}, and the units they hold. */
    private List<Long> activeHeld(String sku) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement held = connection.prepareStatement("SELECT count(DISTINCT r.id), "
                        + "COALESCE(sum(l.quantity), 0) FROM reservation r JOIN reservation_line l "
                        + "ON l.reservation_id = r.id WHERE l.sku = ? AND r.status = 'ACTIVE'")) {
            held.setString(1, sku);
            try (ResultSet row = held.executeQuery()) {
                assertThat(row.next()).isTrue();
                return List.of(row.getLong(1), row.getLong(2));
            }
        }
    }

    /** The flash sale of the issue: 1,000 customers at once for 100 units, from 64 clients released together. */
    @Test
    void flashSaleOfAThousandConcurrentRequestsReservesExactlyTheHundredUnits() throws Exception {
        int units = 100;
        int requests = 1_000;
        // a reservation and a refusal on another sku first, so the sale measures no first-request class loading
        String warmUp = sku(unique("SNK"), "SNK-RUNNER", "41");
        move("RECEIPT", warmUp, storeId, 1);
        reserve("""
                {"pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1}]}""".formatted(storeId, warmUp));
        given().contentType("application/json").body("""
                {"pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1}]}""".formatted(storeId, warmUp))
                .post("/api/reservations").then().statusCode(409);
        move("RECEIPT", sku, storeId, units);
        String body = """
                {"pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1}]}""".formatted(storeId, sku);
        // an answer that never came would leave it unknown whether it reserved: wait as long as the whole sale may
        RestAssuredConfig patient = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", (int) TimeUnit.SECONDS.toMillis(180))
                .setParam("http.connection.timeout", (int) TimeUnit.SECONDS.toMillis(30)));
        ExecutorService clients = Executors.newFixedThreadPool(64);
        CountDownLatch ready = new CountDownLatch(64);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            // every client thread parks on the latch first, so the first 64 requests leave at the same instant
            for (int i = 0; i < 64; i++) {
                clients.submit(() -> {
                    ready.countDown();
                    start.await();
                    return null;
                });
            }
            for (int i = 0; i < requests; i++) {
                statuses.add(clients.submit(() -> given().config(patient).contentType("application/json").body(body)
                        .post("/api/reservations").statusCode()));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            for (Future<Integer> status : statuses) {
                codes.add(status.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            assertThat(codes).filteredOn(code -> code == 201).hasSize(units);
            assertThat(codes).filteredOn(code -> code == 409).hasSize(requests - units);
        } finally {
            clients.shutdownNow();
        }
        assertThat(stock(sku, storeId).getInt("reserved")).isEqualTo(units);
        assertThat(stock(sku, storeId).getInt("available")).isZero();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement held = connection.prepareStatement("SELECT count(DISTINCT r.id), sum(l.quantity) "
                        + "FROM reservation r JOIN reservation_line l ON l.reservation_id = r.id "
                        + "WHERE l.sku = ? AND r.status = 'ACTIVE'")) {
            held.setString(1, sku);
            try (ResultSet row = held.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getLong(1)).as("reservations created").isEqualTo(units);
                assertThat(row.getLong(2)).as("units they hold").isEqualTo(units);
            }
        }
    }

    @Test
    void reservationHoldsUnitsUntilCommittedAndFulfilled() {
        move("RECEIPT", sku, storeId, 5);
        String id = given().contentType("application/json").body("""
                        {"profileId":"prf-anna","channel":"click_and_collect","pickupLocationId":"%s",
                         "lines":[{"sku":"%s","quantity":2}]}""".formatted(storeId, sku))
                .post("/api/reservations")
                .then().statusCode(201)
                .body("status", is("ACTIVE"))
                .body("channel", is("click_and_collect"))
                .body("lines[0].locationId", is(storeId))
                .body("expiresAt", notNullValue())
                .extract().path("id");
        Instant expiresAt = Instant.parse(given().get("/api/reservations/" + id).then().extract().path("expiresAt"));
        assertThat(expiresAt).isBetween(Instant.now().plus(Duration.ofMinutes(14)),
                Instant.now().plus(Duration.ofMinutes(16)));
        assertThat(stock(sku, storeId).getInt("reserved")).isEqualTo(2);
        assertThat(stock(sku, storeId).getInt("available")).isEqualTo(3);

        given().contentType("application/json").body("{\"by\":\"PT10M\"}").post("/api/reservations/" + id + "/extend")
                .then().statusCode(200);
        Instant extended = Instant.parse(given().get("/api/reservations/" + id).then().extract().path("expiresAt"));
        assertThat(Duration.between(expiresAt, extended)).isEqualTo(Duration.ofMinutes(10));

        given().contentType("application/json").body("{\"orderId\":\"WEB-1\"}").post("/api/reservations/" + id + "/commit")
                .then().statusCode(200).body("status", is("COMMITTED")).body("orderId", is("WEB-1"));
        assertThat(stock(sku, storeId).getInt("reserved")).isZero();
        assertThat(stock(sku, storeId).getInt("committed")).isEqualTo(2);
        assertThat(stock(sku, storeId).getInt("available")).isEqualTo(3);

        given().contentType("application/json").post("/api/reservations/" + id + "/fulfil")
                .then().statusCode(200).body("status", is("FULFILLED"));
        assertThat(stock(sku, storeId).getInt("onHand")).isEqualTo(3);
        assertThat(stock(sku, storeId).getInt("committed")).isZero();
        assertThat(stock(sku, storeId).getInt("available")).isEqualTo(3);
        given().contentType("application/json").post("/api/reservations/" + id + "/release")
                .then().statusCode(409).contentType("application/problem+json");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Fixtures.events(reservations, key(id))
                .stream().map(e -> ((ReservationChanged) e.data()).status()).toList())
                .containsExactly("created", "extended", "committed", "fulfilled"));
        ReservationChanged created = (ReservationChanged) Fixtures.events(reservations, key(id)).get(0).data();
        assertThat(created.profileId()).isEqualTo("prf-anna");
        assertThat(created.lines()).singleElement().satisfies(line -> {
            assertThat(line.sku()).isEqualTo(sku);
            assertThat(line.quantity()).isEqualTo(2);
        });
    }

    @Test
    void releaseGivesTheUnitsBackOnce() {
        move("RECEIPT", sku, storeId, 2);
        String id = reserve("""
                {"pickupLocationId":"%s","lines":[{"sku":"%s","quantity":2}]}""".formatted(storeId, sku));
        assertThat(stock(sku, storeId).getInt("available")).isZero();
        try (ConsumerTask<String, String> availability = kafka.consumeStrings().fromTopics(Topics.AVAILABILITY)) {
            given().contentType("application/json").post("/api/reservations/" + id + "/release")
                    .then().statusCode(200).body("status", is("RELEASED"));
            given().contentType("application/json").post("/api/reservations/" + id + "/release")
                    .then().statusCode(200).body("status", is("RELEASED"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Fixtures.events(availability, key(sku + "@" + storeId))
                    .stream().anyMatch(e -> ((AvailabilityChanged) e.data()).available() == 2));
        }
        assertThat(stock(sku, storeId).getInt("reserved")).isZero();
        assertThat(stock(sku, storeId).getInt("available")).isEqualTo(2);
        given().contentType("application/json").post("/api/reservations/" + id + "/commit")
                .then().statusCode(409).body("detail", containsString("released"));
    }

    @Test
    void bundleIsCheckedAsTheSumOfItsLinesAndReservesAllOrNothing() {
        String other = sku(unique("SNK"), "SNK-RUNNER", "43");
        move("RECEIPT", sku, storeId, 3);
        move("RECEIPT", other, storeId, 5);
        // two lines of 2 of the same sku@location: each fits alone, together they need 4 of 3
        given().contentType("application/json").body("""
                        {"pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1},{"sku":"%s","quantity":2},
                         {"sku":"%s","quantity":2}]}""".formatted(storeId, other, sku, sku))
                .post("/api/reservations")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("sku", is(sku))
                .body("requested", is(4))
                .body("available", is(3));
        assertThat(stock(other, storeId).getInt("reserved")).isZero();
        assertThat(stock(sku, storeId).getInt("reserved")).isZero();

        reserve("""
                {"pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1},{"sku":"%s","quantity":1},
                 {"sku":"%s","quantity":2}]}""".formatted(storeId, other, sku, sku));
        assertThat(stock(sku, storeId).getInt("available")).isZero();
        assertThat(stock(other, storeId).getInt("available")).isEqualTo(4);
    }

    @Test
    void idempotencyKeyReturnsTheFirstReservation() {
        move("RECEIPT", sku, storeId, 5);
        String key = unique("idem");
        String body = """
                {"pickupLocationId":"%s","lines":[{"sku":"%s","quantity":2}]}""".formatted(storeId, sku);
        String id = given().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/api/reservations").then().statusCode(201).extract().path("id");
        given().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/api/reservations").then().statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("id", is(id));
        given().contentType("application/json").header("Idempotency-Key", key)
                .body(body.replace("\"quantity\":2", "\"quantity\":3"))
                .post("/api/reservations").then().statusCode(422).contentType("application/problem+json");
        assertThat(stock(sku, storeId).getInt("reserved")).isEqualTo(2);
    }

    @Test
    void concurrentRequestsWithOneIdempotencyKeyReserveOnce() throws Exception {
        move("RECEIPT", sku, storeId, 50);
        String key = unique("idem");
        String body = """
                {"pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1}]}""".formatted(storeId, sku);
        ExecutorService clients = Executors.newFixedThreadPool(10);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(clients.submit(() -> given().contentType("application/json")
                        .header("Idempotency-Key", key).body(body).post("/api/reservations")));
            }
            List<String> ids = new ArrayList<>();
            for (Future<Response> answer : answers) {
                assertThat(answer.get().statusCode()).isIn(200, 201);
                ids.add(answer.get().path("id"));
            }
            assertThat(ids).containsOnly(ids.get(0));
        } finally {
            clients.shutdownNow();
        }
        assertThat(stock(sku, storeId).getInt("reserved")).isEqualTo(1);
    }

    @Test
    void lapsedReservationExpiresAndItsUnitsReturn() {
        move("RECEIPT", sku, storeId, 1);
        // channel "app" lives 2 s in tests
        String id = reserve("""
                {"channel":"app","pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1}]}""".formatted(storeId, sku));
        assertThat(stock(sku, storeId).getInt("available")).isZero();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/reservations/" + id)
                .then().body("status", is("EXPIRED")));
        assertThat(stock(sku, storeId).getInt("available")).isEqualTo(1);
        CloudEvent<?> expired = awaitEvent(reservations, r -> id.equals(r.key()) && r.value().contains("\"expired\""));
        assertThat(expired.type()).isEqualTo(EventType.RESERVATION_CHANGED.type());
        given().contentType("application/json").post("/api/reservations/" + id + "/commit").then().statusCode(409);
    }

    /** What a previous process left behind (it reserved, then died) is released by this one: expiry is only rows. */
    @Test
    void reservationLeftLapsedByAPreviousProcessIsReleased() throws Exception {
        move("RECEIPT", sku, storeId, 3);
        UUID id = UUID.randomUUID();
        Timestamp created = Timestamp.from(Instant.now().minus(Duration.ofHours(1)));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement reservation = connection.prepareStatement("INSERT INTO reservation (id, channel, "
                    + "status, allow_reallocation, expires_at, created_at, updated_at) "
                    + "VALUES (?, 'web', 'ACTIVE', false, ?, ?, ?)");
                    PreparedStatement line = connection.prepareStatement("INSERT INTO reservation_line (id, "
                            + "reservation_id, line_no, sku, location_id, quantity) VALUES (?, ?, 1, ?, ?, 2)");
                    PreparedStatement held = connection.prepareStatement(
                            "UPDATE stock_level SET reserved = reserved + 2 WHERE sku = ? AND location_id = ?")) {
                reservation.setObject(1, id);
                reservation.setTimestamp(2, Timestamp.from(Instant.now().minus(Duration.ofMinutes(45))));
                reservation.setTimestamp(3, created);
                reservation.setTimestamp(4, created);
                reservation.executeUpdate();
                line.setObject(1, UUID.randomUUID());
                line.setObject(2, id);
                line.setString(3, sku);
                line.setString(4, storeId);
                line.executeUpdate();
                held.setString(1, sku);
                held.setString(2, storeId);
                held.executeUpdate();
            }
            connection.commit();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/reservations/" + id)
                .then().statusCode(200).body("status", is("EXPIRED")));
        assertThat(stock(sku, storeId).getInt("reserved")).isZero();
        assertThat(stock(sku, storeId).getInt("available")).isEqualTo(3);
    }

    @Test
    void badReservationsAreProblemsNamingTheFieldAndReserveNothing() {
        move("RECEIPT", sku, storeId, 3);
        String warehouse = Fixtures.location(unique("wh"), "WAREHOUSE", 50.86, 9.70, false, false,
                Fixtures.ALWAYS_OPEN);
        given().contentType("application/json").body("""
                        {"lines":[{"sku":"%s","quantity":-1},{"sku":"%s","locationId":"%s","quantity":1}]}
                        """.formatted(sku, sku, storeId))
                .post("/api/reservations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItems("lines[0].quantity"));
        given().contentType("application/json").body("""
                        {"lines":[{"sku":"%s","quantity":1},{"sku":"NO-SUCH","locationId":"%s","quantity":1}]}
                        """.formatted(sku, storeId))
                .post("/api/reservations")
                .then().statusCode(400)
                .body("violations.field", hasItems("lines[0].locationId"));
        given().contentType("application/json").body("""
                        {"lines":[{"sku":"%s","locationId":"%s","quantity":1},{"sku":"NO-SUCH","locationId":"%s","quantity":1}]}
                        """.formatted(sku, storeId, storeId))
                .post("/api/reservations")
                .then().statusCode(400)
                .body("violations.field", hasItems("lines[1].sku"));
        given().contentType("application/json").body("""
                        {"pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1}]}""".formatted(warehouse, sku))
                .post("/api/reservations")
                .then().statusCode(400)
                .body("violations.field", hasItems("pickupLocationId"));
        given().contentType("application/json").body("""
                        {"channel":"Fax!","pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1}]}""".formatted(storeId, sku))
                .post("/api/reservations")
                .then().statusCode(400)
                .body("violations.field", hasItems("channel"));
        given().contentType("application/json").body("{\"lines\":[]}")
                .post("/api/reservations").then().statusCode(400).body("violations.field", hasItems("lines"));
        given().contentType("application/json").body("{\"by\":\"ten minutes\"}")
                .post("/api/reservations/" + UUID.randomUUID() + "/extend")
                .then().statusCode(400).body("violations.field", hasItems("by"));
        given().get("/api/reservations/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        assertThat(stock(sku, storeId).getInt("reserved")).isZero();
    }
}
