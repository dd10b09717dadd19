package dev.omni.gateway;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.contracts.availability.BackInStock;
import dev.omni.contracts.availability.ChannelAvailabilityChanged;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AvailabilityTest {

    private static final Instant T0 = Instant.parse("2026-03-14T09:00:00Z");

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @InjectStubServices
    StubServices services;

    @Inject
    CircuitBreakerMaintenance breakers;

    private final String storefront = Tokens.client("storefront-web", "storefront");

    @BeforeEach
    void resetStubs() {
        services.reset();
        breakers.resetAll();
    }

    @Test
    void availabilityEventsShowInTheProductsSizes() {
        String product = "SNK-" + UUID.randomUUID();
        String sku40 = product + "-40";
        String sku42 = product + "-42";
        produce(located(sku42, product, "store-berlin-mitte", 7, T0),
                located(sku42, product, "store-hamburg", 2, T0),
                located(sku40, product, "store-berlin-mitte", 1, T0),
                online(sku42, product, 9, T0));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(storefront)
                .get("/api/products/" + product + "/availability")
                .then().statusCode(200)
                .body("productId", is(product))
                .body("skus.sku", contains(sku40, sku42))
                .body("skus[1].online.available", is(9))
                .body("skus[1].locations.locationId", contains("store-berlin-mitte", "store-hamburg"))
                .body("skus[1].locations.available", contains(7, 2))
                .body("skus[0].online", nullValue())
                .body("nearbyStores", nullValue())
                .body("unavailable", empty()));
    }

    @Test
    void anOlderEventNeverRollsTheNumberBack() {
        String product = "TEE-" + UUID.randomUUID();
        produce(located(product + "-M", product, "store-1", 5, T0.plusSeconds(60)));
        awaitLocation(product, product + "-M", 5);
        produce(located(product + "-M", product, "store-1", 1, T0), marker(product));
        awaitLocation(product, marker(product).data().sku(), 1);
        given().auth().oauth2(storefront).get("/api/products/" + product + "/availability")
                .then().body("skus.find { it.sku == '" + product + "-M' }.locations[0].available", is(5));
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() {
        String product = "JKT-" + UUID.randomUUID();
        String sku = product + "-L";
        CloudEvent<AvailabilityChanged> first = located(sku, product, "store-1", 4, T0);
        produce(first);
        awaitLocation(product, sku, 4);
        // the same event id again, even with other numbers and a later time, is a repeat and changes nothing
        CloudEvent<AvailabilityChanged> replay = new CloudEvent<>(first.specversion(), first.id(), first.source(),
                first.type(), first.subject(), first.time(), first.datacontenttype(),
                availability(sku, product, "store-1", 99, T0.plusSeconds(600)));
        produce(replay, marker(product));
        awaitLocation(product, marker(product).data().sku(), 1);
        given().auth().oauth2(storefront).get("/api/products/" + product + "/availability")
                .then().body("skus.find { it.sku == '" + sku + "' }.locations[0].available", is(4));
    }

    @Test
    void backInStockNoticesLeaveTheCacheAlone() {
        String product = "BAG-" + UUID.randomUUID();
        String sku = product + "-ONE";
        produce(CloudEvent.of(EventType.BACK_IN_STOCK, "/inventory-service", "back-in-stock:" + sku,
                        new BackInStock(sku, product, null, 3, List.of("p-1"), T0)),
                located(sku, product, "store-1", 2, T0));
        awaitLocation(product, sku, 2);
        given().auth().oauth2(storefront).get("/api/products/" + product + "/availability")
                .then().body("skus[0].online", nullValue());
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopic() {
        String key = "poison-" + UUID.randomUUID();
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.AVAILABILITY, key, "{not json"))
                .awaitCompletion();
        var dead = kafka.consumeStrings().fromTopics(Topics.deadLetter(Topics.AVAILABILITY))
                .awaitRecords(1, Duration.ofSeconds(30)).getRecords();
        assertThat(dead).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo(key);
            assertThat(r.value()).isEqualTo("{not json");
        });
    }

    @Test
    void nearestStoresComeFromInventoryWithTheCallersToken() {
        String product = "SNK-" + UUID.randomUUID();
        services.inventory.stubFor(get(urlPathEqualTo("/api/availability"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("[{\"locationId\":\"store-berlin-mitte\",\"distanceKm\":0.4}]")));
        given().auth().oauth2(storefront).header("X-Request-Id", "near-1")
                .queryParam("near", "52.52,13.405").queryParam("radiusKm", "10")
                .get("/api/products/" + product + "/availability")
                .then().statusCode(200)
                .body("nearbyStores[0].locationId", is("store-berlin-mitte"))
                .body("unavailable", empty());
        services.inventory.verify(getRequestedFor(urlPathEqualTo("/api/availability"))
                .withQueryParam("productId", equalTo(product))
                .withQueryParam("near", equalTo("52.52,13.405"))
                .withQueryParam("radiusKm", equalTo("10.0"))
                .withHeader("Authorization", equalTo("Bearer " + storefront))
                .withHeader("X-Request-Id", equalTo("near-1")));
    }

    @Test
    void whenInventoryFailsTheCachedSizesAreStillAnswered() {
        String product = "SNK-" + UUID.randomUUID();
        produce(online(product + "-41", product, 6, T0));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(storefront)
                .get("/api/products/" + product + "/availability")
                .then().body("skus[0].online.available", is(6)));
        services.inventory.stubFor(get(urlPathEqualTo("/api/availability"))
                .willReturn(aResponse().withStatus(503)));
        given().auth().oauth2(storefront).queryParam("near", "48.137,11.575")
                .get("/api/products/" + product + "/availability")
                .then().statusCode(200)
                .body("skus[0].online.available", is(6))
                .body("nearbyStores", nullValue())
                .body("unavailable", contains("nearbyStores"));
    }

    @Test
    void aMalformedPointNamesTheQueryParameter() {
        given().auth().oauth2(storefront).queryParam("near", "north-pole")
                .get("/api/products/SNK/availability")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", is("near"))
                .body("violations[0].in", is("query"));
        given().auth().oauth2(storefront).queryParam("near", "52.5,13.4").queryParam("radiusKm", "-1")
                .get("/api/products/SNK/availability")
                .then().statusCode(400)
                .body("violations[0].field", is("radiusKm"));
    }

    private void awaitLocation(String product, String sku, int available) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(storefront)
                .get("/api/products/" + product + "/availability")
                .then().body("skus.find { it.sku == '" + sku + "' }.locations[0].available", is(available)));
    }

    /** Every record of a test goes to partition 0, so a later record shows the earlier ones were consumed. */
    private void produce(CloudEvent<?>... events) {
        kafka.produceStrings().fromRecords(Arrays.stream(events)
                .map(e -> new ProducerRecord<>(Topics.AVAILABILITY, 0, e.key(), EventCodec.encode(e)))
                .toList()).awaitCompletion();
    }

    /** Another sku of the product: once it shows, every record produced before it was consumed. */
    private static CloudEvent<AvailabilityChanged> marker(String product) {
        return located(product + "-MARKER", product, "store-9", 1, T0);
    }

    private static CloudEvent<AvailabilityChanged> located(String sku, String product, String location, int available,
            Instant at) {
        return CloudEvent.of(EventType.AVAILABILITY_CHANGED, "/inventory-service", sku + "@" + location,
                availability(sku, product, location, available, at));
    }

    private static AvailabilityChanged availability(String sku, String product, String location, int available,
            Instant at) {
        return new AvailabilityChanged(sku, product, location, available, 0, 0, 0, 0, available, at);
    }

    private static CloudEvent<ChannelAvailabilityChanged> online(String sku, String product, int available,
            Instant at) {
        return CloudEvent.of(EventType.CHANNEL_AVAILABILITY_CHANGED, "/inventory-service", sku + "@online",
                new ChannelAvailabilityChanged(sku, product, "online", available, at));
    }
}
