package dev.omni.inventory;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.Topics;
import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.contracts.reservation.ReservationChanged;
import dev.omni.testing.ServiceInfraResource;
import dev.omni.testing.ServiceProcess;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

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
import static org.hamcrest.Matchers.is;

/**
 * Expiry survives a crash: the packaged service runs as a real process, holds stock for a customer, is killed with
 * SIGKILL before the hold ends, and the restarted process releases it — once, with one {@code expired} event.
 */
class ExpiryAfterRestartIT {

    /** Lifetime of a reservation made through the {@code app} channel: long enough to kill the process within it. */
    private static final Duration HOLD = Duration.ofSeconds(20);
    /** Lifetime of one made through {@code web}: lapses while the first process still runs. */
    private static final Duration SHORT_HOLD = Duration.ofSeconds(2);

    static ServiceInfraResource infra;
    static Map<String, String> config;
    static ServiceProcess app;
    static KafkaCompanion kafka;

    @BeforeAll
    static void start() {
        infra = new ServiceInfraResource();
        config = new HashMap<>(infra.start());
        config.put("omni.inventory.reservation.ttl.app", HOLD.toSeconds() + "s");
        config.put("omni.inventory.reservation.ttl.web", SHORT_HOLD.toSeconds() + "s");
        config.put("omni.inventory.reservation.expiry-every", "1s");
        app = ServiceProcess.start("inventory", config);
        kafka = new KafkaCompanion(config.get("kafka.bootstrap.servers"));
        RestAssured.port = app.port();
    }

    @AfterAll
    static void stop() {
        try {
            if (app != null) {
                app.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            infra.stop();
        }
    }

    @Test
    void reservationHeldWhenTheProcessWasKilledExpiresAfterTheRestartExactlyOnce() throws Exception {
        String sku = sku(unique("SNK"), "SNK-RUNNER", "42");
        String storeId = store(unique("store"), 52.5246, 13.4020);
        move("RECEIPT", sku, storeId, 5);
        try (ConsumerTask<String, String> reservations = kafka.consumeStrings().fromTopics(Topics.RESERVATIONS);
                ConsumerTask<String, String> availability = kafka.consumeStrings().fromTopics(Topics.AVAILABILITY)) {
            // one lapses and is released by the first process, before the crash
            String lapsedBefore = reserve("""
                    {"channel":"web","pickupLocationId":"%s","lines":[{"sku":"%s","quantity":1}]}""".formatted(storeId, sku));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/reservations/" + lapsedBefore)
                    .then().body("status", is("EXPIRED")));
            await().atMost(Duration.ofSeconds(30)).until(() -> expiredEventIds(reservations, lapsedBefore).size() == 1);

            String held = reserve("""
                    {"channel":"app","pickupLocationId":"%s","lines":[{"sku":"%s","quantity":2}]}""".formatted(storeId, sku));
            assertThat(stock(sku, storeId).getInt("reserved")).isEqualTo(2);

            app.kill();

            // the crash came before the hold ended: the row still holds the units, and nothing released it
            try (Connection db = database();
                    PreparedStatement row = db.prepareStatement("SELECT status, expires_at > now() FROM reservation "
                            + "WHERE id = ?")) {
                row.setObject(1, UUID.fromString(held));
                try (ResultSet found = row.executeQuery()) {
                    assertThat(found.next()).isTrue();
                    assertThat(found.getString(1)).isEqualTo("ACTIVE");
                    assertThat(found.getBoolean(2)).as("hold still running when killed").isTrue();
                }
            }
            assertThat(reservedInDatabase(sku, storeId)).isEqualTo(2);

            app.restart();
            RestAssured.port = app.port();

            await().atMost(HOLD.plusSeconds(60)).untilAsserted(() -> given().get("/api/reservations/" + held)
                    .then().statusCode(200).body("status", is("EXPIRED")));
            assertThat(stock(sku, storeId).getInt("reserved")).isZero();
            assertThat(stock(sku, storeId).getInt("available")).isEqualTo(5);
            await().atMost(Duration.ofSeconds(30)).until(() -> expiredEventIds(reservations, held).size() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.events(availability, key(sku + "@" + storeId))
                    .stream().anyMatch(e -> ((AvailabilityChanged) e.data()).available() == 5));

            // a few more expiry runs of the new process find nothing more to release
            Thread.sleep(3_000);
            assertThat(expiredEventIds(reservations, held)).hasSize(1);
            assertThat(expiredEventIds(reservations, lapsedBefore)).hasSize(1);
            assertThat(statuses(reservations, held)).containsExactly("created", "expired");
            assertThat(statuses(reservations, lapsedBefore)).containsExactly("created", "expired");
            assertThat(stock(sku, storeId).getInt("reserved")).isZero();
            assertThat(stock(sku, storeId).getInt("onHand")).isEqualTo(5);
        }
    }

    /** Distinct event ids: a redelivered record (same id, at least once) is one event, a second expiry is two. */
    private static List<UUID> expiredEventIds(ConsumerTask<String, String> reservations, String id) {
        return decoded(reservations, id).stream()
                .filter(e -> "expired".equals(((ReservationChanged) e.data()).status()))
                .map(CloudEvent::id).distinct().toList();
    }

    private static List<String> statuses(ConsumerTask<String, String> reservations, String id) {
        return decoded(reservations, id).stream().collect(Collectors.toMap(CloudEvent::id,
                        e -> ((ReservationChanged) e.data()).status(), (first, repeat) -> first,
                        LinkedHashMap::new))
                .values().stream().toList();
    }

    private static List<CloudEvent<?>> decoded(ConsumerTask<String, String> reservations, String id) {
        return reservations.getRecords().stream().filter(r -> id.equals(r.key()))
                .<CloudEvent<?>>map(r -> EventCodec.decode(r.value())).toList();
    }

    private static int reservedInDatabase(String sku, String storeId) throws Exception {
        try (Connection db = database();
                PreparedStatement row = db.prepareStatement("SELECT reserved FROM stock_level WHERE sku = ? "
                        + "AND location_id = ?")) {
            row.setString(1, sku);
            row.setString(2, storeId);
            try (ResultSet found = row.executeQuery()) {
                assertThat(found.next()).isTrue();
                return found.getInt(1);
            }
        }
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
    }
}
