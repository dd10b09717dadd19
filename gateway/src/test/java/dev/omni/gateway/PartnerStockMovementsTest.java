package dev.omni.gateway;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.stock.MovementKind;
import dev.omni.contracts.stock.StockMovementRecorded;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PartnerStockMovementsTest {

    private static final String PATH = "/api/partners/stock-movements";
    private static final String POS = "partner-pos";

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Test
    void withoutATokenIsUnauthorised() {
        given().contentType("application/json").body(movement("m-1", "SKU-1", "RECEIPT", 1))
                .post(PATH)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
    }

    @Test
    void anExpiredTokenIsUnauthorised() {
        given().auth().oauth2(Tokens.expired(POS, "stock:write")).contentType("application/json")
                .body(movement("m-1", "SKU-1", "RECEIPT", 1))
                .post(PATH)
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aTokenWithoutStockWriteIsForbidden() {
        given().auth().oauth2(Tokens.client("partner-ads", "attribution:read", "events:write"))
                .contentType("application/json").body(movement("m-1", "SKU-1", "RECEIPT", 1))
                .post(PATH)
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("stock:write"));
    }

    @Test
    void aCustomerCannotReportStock() {
        given().auth().oauth2(Tokens.customer(UUID.randomUUID().toString(), "anna@example.com"))
                .contentType("application/json").body(movement("m-1", "SKU-1", "RECEIPT", 1))
                .post(PATH)
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void invalidMovementsAreAProblemNamingEachField() {
        String batch = "[" + movement("m-1", "SKU-1", "TELEPORT", 1) + ","
                + "{\"movementId\":\"m-2\",\"kind\":\"SALE\",\"sku\":\"SKU@2\",\"locationId\":\"store-1\",\"quantity\":-3},"
                + "{\"kind\":\"TRANSFER_OUT\",\"sku\":\"SKU-3\",\"locationId\":\"store-1\",\"quantity\":\"2\"}]";
        given().auth().oauth2(Tokens.client(POS, "stock:write")).contentType("application/json").body(batch)
                .post(PATH)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("violations.field", containsInAnyOrder("[0].kind", "[1].sku", "[1].quantity",
                        "[2].movementId", "[2].quantity", "[2].transferId"))
                .body("violations.in", hasItem("body"));
    }

    @Test
    void nothingOfAnInvalidBatchIsPublished() {
        String sku = "SKU-HALF-" + UUID.randomUUID();
        String batch = "[" + movement("ok-" + sku, sku, "RECEIPT", 4) + "," + movement("bad-" + sku, sku, "SALE", 0)
                + "]";
        given().auth().oauth2(Tokens.client(POS, "stock:write")).contentType("application/json").body(batch)
                .post(PATH)
                .then().statusCode(400)
                .body("violations.field", containsInAnyOrder("[1].quantity"));
        // a later valid movement of the same key is the first record of that key on the topic
        publishAndAwait(movement("after-" + sku, sku, "RECEIPT", 1), sku, "after-" + sku);
    }

    @Test
    void repeatedMovementIdsInOneBatchAreRefused() {
        String batch = "[" + movement("dup", "SKU-1", "RECEIPT", 1) + "," + movement("dup", "SKU-2", "RECEIPT", 1)
                + "]";
        given().auth().oauth2(Tokens.client(POS, "stock:write")).contentType("application/json").body(batch)
                .post(PATH)
                .then().statusCode(400)
                .body("violations[0].field", is("[1].movementId"));
    }

    @Test
    void malformedJsonIsAProblemNotAServerError() {
        given().auth().oauth2(Tokens.client(POS, "stock:write")).contentType("application/json")
                .body("[{\"movementId\": ")
                .post(PATH)
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aBatchOfMoreThan500IsRefusedWhole() {
        String one = "{\"movementId\":\"m\",\"kind\":\"SALE\",\"sku\":\"S\",\"locationId\":\"L\",\"quantity\":1}";
        given().auth().oauth2(Tokens.client(POS, "stock:write")).contentType("application/json")
                .body("[" + String.join(",", Collections.nCopies(501, one)) + "]")
                .post(PATH)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("at most 500"));
    }

    @Test
    void aBodyAboveTheSizeLimitIsRefusedBeforeItIsRead() {
        given().auth().oauth2(Tokens.client(POS, "stock:write")).contentType("application/json")
                .body("[" + "9,".repeat(40_000) + "9]")
                .post(PATH)
                .then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void acceptedBatchIsOnTheTopicKeyedBySkuAtLocationOnceKafkaAcknowledged() {
        String sku = "SNK-" + UUID.randomUUID();
        String batch = "[" + movement("rcpt-" + sku, sku, "RECEIPT", 7) + ","
                + "{\"movementId\":\"sale-" + sku + "\",\"kind\":\"SALE\",\"sku\":\"" + sku + "\","
                + "\"locationId\":\"store-berlin-mitte\",\"quantity\":2,\"expectedOnHand\":7,"
                + "\"occurredAt\":\"2026-03-14T09:26:53Z\"}]";
        given().auth().oauth2(Tokens.client(POS, "stock:write")).contentType("application/json")
                .header("X-Request-Id", "pos-batch-1")
                .body(batch)
                .post(PATH)
                .then().statusCode(202)
                .body("accepted", is(2))
                .body("movements.movementId", containsInAnyOrder("rcpt-" + sku, "sale-" + sku))
                .body("movements[0].key", is(sku + "@store-berlin-mitte"));

        List<ConsumerRecord<String, String>> records = recordsOf(sku, 2);
        assertThat(records).extracting(ConsumerRecord::key).containsOnly(sku + "@store-berlin-mitte");
        List<StockMovementRecorded> movements = records.stream()
                .map(r -> EventCodec.decode(r.value(), StockMovementRecorded.class))
                .peek(e -> {
                    assertThat(e.type()).isEqualTo(EventType.STOCK_MOVEMENT_RECORDED.type());
                    assertThat(e.source()).isEqualTo("/gateway");
                    assertThat(e.subject()).isEqualTo(sku + "@store-berlin-mitte");
                })
                .map(CloudEvent::data).toList();
        // one key, one partition: the order of the batch is kept
        assertThat(movements).extracting(StockMovementRecorded::movementId).containsExactly("rcpt-" + sku, "sale-" + sku);
        StockMovementRecorded sale = movements.get(1);
        assertThat(sale.kind()).isEqualTo(MovementKind.SALE);
        assertThat(sale.quantity()).isEqualTo(2);
        assertThat(sale.expectedOnHand()).isEqualTo(7);
        assertThat(sale.source()).isEqualTo(POS);
        assertThat(sale.occurredAt()).isEqualTo(Instant.parse("2026-03-14T09:26:53Z"));
        assertThat(new String(records.get(0).headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                .isEqualTo(CloudEvent.CONTENT_TYPE);
        assertThat(new String(records.get(0).headers().lastHeader("x-request-id").value(), StandardCharsets.UTF_8))
                .isEqualTo("pos-batch-1");
    }

    @Test
    void aSingleMovementObjectIsAcceptedToo() {
        String sku = "TEE-" + UUID.randomUUID();
        publishAndAwait(movement("one-" + sku, sku, "COUNT", 0), sku, "one-" + sku);
    }

    private void publishAndAwait(String body, String sku, String movementId) {
        given().auth().oauth2(Tokens.client(POS, "stock:write")).contentType("application/json").body(body)
                .post(PATH)
                .then().statusCode(202).body("accepted", is(1));
        List<ConsumerRecord<String, String>> records = recordsOf(sku, 1);
        assertThat(EventCodec.decode(records.get(0).value(), StockMovementRecorded.class).data().movementId())
                .isEqualTo(movementId);
    }

    /** The records of one sku's key; the class's tests share the broker, so others' records are skipped. */
    private List<ConsumerRecord<String, String>> recordsOf(String sku, int expected) {
        try (ConsumerTask<String, String> task = kafka.consumeStrings().fromTopics(Topics.STOCK_MOVEMENTS)) {
            return await().atMost(Duration.ofSeconds(30)).until(() -> task.getRecords().stream()
                    .filter(r -> r.key().startsWith(sku + "@")).toList(), found -> found.size() >= expected);
        }
    }

    private static String movement(String id, String sku, String kind, int quantity) {
        return "{\"movementId\":\"" + id + "\",\"kind\":\"" + kind + "\",\"sku\":\"" + sku
                + "\",\"locationId\":\"store-berlin-mitte\",\"quantity\":" + quantity + "}";
    }
}
