package dev.omni.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omni.testing.KafkaProcess;
import dev.omni.testing.PostgresResource;
import dev.omni.testing.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #8's flash sale: {@code -Dchaos.flash-reservations} (1,000 in the test command; {@code bench/chaos/run} uses
 * 10,000) customers try to reserve one of 100 units at once while the store's till sells 20 of them. Afterwards the
 * ledger is exact: on hand = 100 − sales, reserved = the reservations answered 201, available = what is left, the
 * reservations a sale left uncovered are flagged at risk one for one and each customer is told (an event on
 * {@code omni.reservations}); every other request was refused with 409 — never a 5xx, never an oversell.
 */
class FlashSaleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RESERVATIONS = Integer.getInteger("chaos.flash-reservations", 1_000);
    private static final int UNITS = 100;
    private static final int SALES = 20;
    private static final int IN_FLIGHT = 64;
    private static final Path INVENTORY_JAR = Apps.jar("inventory-service");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void tenThousandCustomersAndTheTillRaceForAHundredUnits() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String sku = "FLASH-" + run;
        String store = "store-flash-" + run;
        PostgresResource database = new PostgresResource();
        try (KafkaProcess kafka = KafkaProcess.start()) {
            Map<String, String> config = new HashMap<>(database.start());
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            try (ServiceProcess inventory = ServiceProcess.start("inventory", INVENTORY_JAR, config)) {
                String url = inventory.url();
                post(url + "/api/locations", null, """
                        {"id":"%s","name":"Flash store","type":"STORE","latitude":52.52,"longitude":13.405,
                         "timeZone":"Europe/Berlin","pickupEnabled":true,"fulfilsOnline":false,
                         "openingHours":{"MONDAY":"00:00-23:59"}}""".formatted(store)).join();
                post(url + "/api/skus", null, """
                        {"sku":"%s","productId":"FLASH","name":"Flash sneaker","attributes":{"size":"42"}}"""
                        .formatted(sku)).join();
                HttpResponse<String> receipt = post(url + "/api/stock-movements", null, """
                        {"movementId":"%s-receipt","kind":"RECEIPT","sku":"%s","locationId":"%s","quantity":%d}"""
                        .formatted(run, sku, store, UNITS)).join();
                assertThat(receipt.statusCode()).as(receipt.body()).isBetween(200, 299);

                Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
                Set<String> reserved = ConcurrentHashMap.newKeySet();
                Semaphore inFlight = new Semaphore(IN_FLIGHT);
                List<CompletableFuture<?>> all = new ArrayList<>();
                long started = System.nanoTime();
                for (int i = 0; i < RESERVATIONS; i++) {
                    if (i % (RESERVATIONS / SALES) == RESERVATIONS / SALES / 2) {
                        // the till sells one unit in the middle of the rush, twenty times over
                        all.add(post(url + "/api/stock-movements", null, """
                                {"movementId":"%s-sale-%d","kind":"SALE","sku":"%s","locationId":"%s","quantity":1}"""
                                .formatted(run, i, sku, store)).thenAccept(sale -> assertThat(sale.statusCode())
                                .as("a till sale is the shop floor's truth: %s", sale.body()).isBetween(200, 299)));
                    }
                    inFlight.acquire();
                    all.add(post(url + "/api/reservations", run + "-" + i, """
                            {"profileId":"prf-%s-%d","channel":"click_and_collect","pickupLocationId":"%s",
                             "allowReallocation":false,"lines":[{"sku":"%s","quantity":1}]}"""
                            .formatted(run, i, store, sku))
                            .whenComplete((answer, failure) -> {
                                inFlight.release();
                                if (answer != null) {
                                    statuses.merge(answer.statusCode(), 1, Integer::sum);
                                    if (answer.statusCode() == 201) {
                                        reserved.add(field(answer.body(), "id"));
                                    }
                                }
                            }));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
                double seconds = (System.nanoTime() - started) / 1e9;

                JsonNode stock = JSON.readTree(get(url + "/api/stock/" + sku + "/" + store));
                int onHand = stock.get("onHand").asInt();
                int shortfall = Math.max(0, reserved.size() - onHand);
                JsonNode atRisk = JSON.readTree(get(url + "/api/reservations?status=at_risk&locationId=" + store
                        + "&limit=500"));
                Set<String> told = atRiskEvents(kafka.bootstrapServers(), reserved, shortfall);
                System.out.printf("flash sale: %d reservation requests for %d units in %.1f s with %d till sales "
                                + "racing; answers %s; stock %s; at risk %d, customers told %d%n", RESERVATIONS,
                        UNITS, seconds, SALES, statuses, stock, atRisk.size(), told.size());

                assertThat(statuses.keySet()).as("only 201 (reserved) and 409 (none left)").containsOnly(201, 409);
                assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(RESERVATIONS);
                assertThat(onHand).as("on hand after the till's sales").isEqualTo(UNITS - SALES);
                assertThat(reserved.size()).as("never more reserved than there were units")
                        .isBetween(UNITS - SALES, UNITS);
                assertThat(stock.get("reserved").asInt()).as("reserved = the reservations answered 201")
                        .isEqualTo(reserved.size());
                assertThat(stock.get("available").asInt()).isEqualTo(Math.max(0, onHand - reserved.size()));
                assertThat(atRisk.size()).as("a reservation at risk per unit the till sold from under it")
                        .isEqualTo(shortfall);
                atRisk.forEach(r -> assertThat(reserved).contains(r.get("id").asText()));
                assertThat(told).as("every customer at risk is told").hasSize(shortfall);
            }
        } finally {
            database.stop();
        }
    }

    private CompletableFuture<HttpResponse<String>> post(String url, String idempotencyKey, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String url) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url + ": " + answer.body()).isEqualTo(200);
        return answer.body();
    }

    private static String field(String json, String name) {
        try {
            return JSON.readTree(json).get(name).asText();
        } catch (Exception e) {
            throw new IllegalStateException(json, e);
        }
    }

    /** The reservations of this run announced at risk on omni.reservations (waits up to 60 s for {@code expected}). */
    private static Set<String> atRiskEvents(String bootstrap, Set<String> ours, int expected) throws Exception {
        Set<String> told = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<TopicPartition> partitions = IngestRun.partitions(consumer, "omni.reservations", deadline);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long quietUntil = 0;
            while (System.nanoTime() < deadline && (quietUntil == 0 || System.nanoTime() < quietUntil)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = JSON.readTree(record.value());
                    String id = event.path("data").path("reservationId").asText();
                    if (event.path("type").asText().equals("omni.reservation.at-risk") && ours.contains(id)) {
                        told.add(id);
                    }
                }
                if (told.size() >= expected && quietUntil == 0) {
                    quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // and no more than that
                }
            }
        }
        return told;
    }
}
