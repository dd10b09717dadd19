package dev.omni.inventory;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Test data through the public API, and waiting for records on a topic. */
public final class Fixtures {

    public static final String HOURS_10_TO_20 = """
            {"MONDAY":"10:00-20:00","TUESDAY":"10:00-20:00","WEDNESDAY":"10:00-20:00","THURSDAY":"10:00-20:00",
             "FRIDAY":"10:00-20:00","SATURDAY":"10:00-20:00","SUNDAY":null}""";
    public static final String ALWAYS_OPEN = """
            {"MONDAY":"00:00-23:59","TUESDAY":"00:00-23:59","WEDNESDAY":"00:00-23:59","THURSDAY":"00:00-23:59",
             "FRIDAY":"00:00-23:59","SATURDAY":"00:00-23:59","SUNDAY":"00:00-23:59"}""";

    private Fixtures() {
    }

    /** A unique id, so the tests of one class never see each other's data. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String store(String id, double latitude, double longitude) {
        return location(id, "STORE", latitude, longitude, true, false, HOURS_10_TO_20);
    }

    public static String location(String id, String type, double latitude, double longitude, boolean pickup,
            boolean online, String openingHours) {
        given().contentType("application/json").body("""
                        {"id":"%s","name":"Omni %s","type":"%s","latitude":%s,"longitude":%s,"timeZone":"Europe/Berlin",
                         "pickupEnabled":%s,"fulfilsOnline":%s,"openingHours":%s}
                        """.formatted(id, id, type, latitude, longitude, pickup, online, openingHours))
                .post("/api/locations").then().statusCode(201);
        return id;
    }

    public static String sku(String sku, String productId, String size) {
        given().contentType("application/json").body("""
                        {"sku":"%s","productId":"%s","name":"Omni Runner %s","attributes":{"size":"%s","colour":"white"}}
                        """.formatted(sku, productId, size, size))
                .post("/api/skus").then().statusCode(201);
        return sku;
    }

    /** Posts one movement and returns the answer. */
    public static JsonPath move(String kind, String sku, String locationId, int quantity) {
        return given().contentType("application/json").body(Map.of("movementId", unique("mv"), "kind", kind,
                        "sku", sku, "locationId", locationId, "quantity", quantity, "source", "test"))
                .post("/api/stock-movements").then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath stock(String sku, String locationId) {
        return given().get("/api/stock/" + sku + "/" + locationId).then().statusCode(200).extract().jsonPath();
    }

    /** Reserves and returns the reservation's id. */
    public static String reserve(String body) {
        return given().contentType("application/json").body(body).post("/api/reservations")
                .then().statusCode(201).extract().path("id");
    }

    /** Waits for the first record on the task's topic matching {@code filter}, decoded. */
    public static CloudEvent<?> awaitEvent(ConsumerTask<String, String> task, Predicate<ConsumerRecord<String, String>> filter) {
        ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(20))
                .until(() -> task.getRecords().stream().filter(filter).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
        return EventCodec.decode(record.value());
    }

    /** Every record so far on the task's topic matching {@code filter}, decoded, in order. */
    public static List<CloudEvent<?>> events(ConsumerTask<String, String> task,
            Predicate<ConsumerRecord<String, String>> filter) {
        return task.getRecords().stream().filter(filter).<CloudEvent<?>>map(r -> EventCodec.decode(r.value())).toList();
    }

    public static Predicate<ConsumerRecord<String, String>> key(String key) {
        return record -> key.equals(record.key());
    }
}
