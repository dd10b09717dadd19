package dev.omni.messaging;

import dev.omni.contracts.EventType;
import dev.omni.messaging.support.Fixtures;
import dev.omni.messaging.support.InjectProviderStubs;
import dev.omni.messaging.support.MovableTimeSource;
import dev.omni.messaging.support.ProviderStubResource;
import dev.omni.messaging.support.ProviderStubs;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** {@code POST /api/messages/batch}: the guards, keys and providers of a single send, decided and sent set-based. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = ProviderStubResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class BatchSendTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @InjectProviderStubs
    ProviderStubs stubs;

    @Inject
    MovableTimeSource clock;

    @Test
    void eachMessageOfABatchGetsTheGuardsOfASingleSendInRequestOrder() {
        String phone = phone();
        UUID consented = Fixtures.profile(kafka, null, phone, null,
                Map.of("timeZone", zoneWhereItIs(LocalTime.of(12, 0)).getId()));
        Fixtures.consent(kafka, consented, "marketing", "granted", "sms");
        UUID unconsented = Fixtures.profile(kafka, null, phone(), null, Map.of());
        UUID noPhone = Fixtures.profile(kafka, "x." + UUID.randomUUID() + "@example.com", null, null, Map.of());
        String run = UUID.randomUUID().toString();

        JsonPath answer = batch(
                item(run + "-t", consented, "transactional"),
                item(run + "-m", unconsented, "marketing"),
                item(run + "-a", noPhone, "transactional"),
                item(run + "-c1", consented, "marketing"),
                item(run + "-c2", consented, "marketing"),
                item(run + "-c3", consented, "marketing"),
                item(run + "-t", consented, "transactional"));

        assertThat(answer.getList("messages.message.status")).containsExactly("SENT", "SUPPRESSED", "SUPPRESSED",
                "SENT", "SENT", "SUPPRESSED", "SENT");
        assertThat(answer.getList("messages.message.reason")).containsExactly(null, "consent", "no_address", null,
                null, "frequency_cap", null);
        assertThat(answer.getList("messages.repeated")).containsExactly(false, false, false, false, false, false, true);
        assertThat(answer.getString("messages[6].message.id")).isEqualTo(answer.getString("messages[0].message.id"));
        assertThat(answer.getString("messages[5].message.detail")).contains("sms per day");
        // three went out to the consented profile's phone: the transactional one once, two marketing ones (cap of 2)
        assertThat(stubs.acceptedWith("sms-primary", phone.substring(1))).hasSize(3);
        Fixtures.messageEvent(kafka, answer.getString("messages[3].message.id"),
                e -> e.type().equals(EventType.MESSAGE_SENT.type()));
        Fixtures.messageEvent(kafka, answer.getString("messages[5].message.id"),
                e -> e.type().equals(EventType.MESSAGE_SUPPRESSED.type()));

        // the same batch again: every key is answered with its first message and nothing is sent
        JsonPath again = batch(item(run + "-t", consented, "transactional"), item(run + "-c1", consented, "marketing"));
        assertThat(again.getList("messages.repeated")).containsExactly(true, true);
        assertThat(again.getString("messages[1].message.id")).isEqualTo(answer.getString("messages[3].message.id"));
        assertThat(stubs.acceptedWith("sms-primary", phone.substring(1))).hasSize(3);
    }

    @Test
    void capsHoldWhenBatchesAndSingleSendsForOneProfileRaceEachOther() throws Exception {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null,
                Map.of("timeZone", zoneWhereItIs(LocalTime.of(12, 0)).getId()));
        Fixtures.consent(kafka, profileId, "marketing", "granted", "sms");
        String run = UUID.randomUUID().toString();

        List<Callable<List<String>>> sends = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            sends.add(() -> n % 3 == 0
                    ? List.of(given().contentType("application/json").body(single(profileId)).post("/api/messages")
                            .then().statusCode(201).extract().<String>path("status"))
                    : batch(item(run + "-" + n + "a", profileId, "marketing"),
                            item(run + "-" + n + "b", profileId, "marketing")).getList("messages.message.status"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<String> statuses = new ArrayList<>();
        try {
            for (Future<List<String>> result : pool.invokeAll(sends)) {
                statuses.addAll(result.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(statuses).hasSize(10);
        assertThat(statuses.stream().filter("SENT"::equals).count()).isEqualTo(2);
        assertThat(stubs.acceptedWith("sms-primary", phone.substring(1))).hasSize(2);
    }

    @Test
    void batchesRacingWithTheSameKeysRecordEachKeyOnce() throws Exception {
        // a profile messaging has no contact row for: no row lock orders the batches, only the keys' unique index
        UUID profileId = UUID.randomUUID();
        String run = UUID.randomUUID().toString();
        List<Callable<JsonPath>> sends = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sends.add(() -> batch(item(run + "-a", profileId, "transactional"),
                    item(run + "-b", profileId, "transactional")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<JsonPath> answers = new ArrayList<>();
        try {
            for (Future<JsonPath> answer : pool.invokeAll(sends)) {
                answers.add(answer.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(answers.stream().map(a -> a.getString("messages[0].message.id")).distinct()).hasSize(1);
        assertThat(answers.stream().map(a -> a.getString("messages[1].message.id")).distinct()).hasSize(1);
        assertThat(answers.stream().filter(a -> !a.getBoolean("messages[0].repeated")).count()).isEqualTo(1);
        assertThat(answers.get(0).getList("messages.message.reason")).containsExactly("no_address", "no_address");
        given().get("/api/messages?profileId=" + profileId).then().statusCode(200).body("size()", is(2));
    }

    @Test
    void aBadMessageRejectsTheWholeBatchNamingItsField() {
        UUID profileId = Fixtures.profile(kafka, null, phone(), null, Map.of());
        String key = UUID.randomUUID().toString();

        given().contentType("application/json").body("""
                        {"messages":[%s,
                         {"profileId":"%s","channel":"fax","template":"pickup-ready"}]}
                        """.formatted(item(key, profileId, "transactional"), profileId))
                .post("/api/messages/batch")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", is("messages[1].channel"));
        given().contentType("application/json").body("""
                        {"messages":[{"profileId":"%s","channel":"sms","template":"pickup-ready",
                          "variables":{"orderId":"A-1","storeName":"Köln","colour":"red"}}]}
                        """.formatted(profileId))
                .post("/api/messages/batch")
                .then().statusCode(400)
                .body("violations[0].field", is("messages[0].variables.colour"));
        given().contentType("application/json").body("{\"messages\":[]}").post("/api/messages/batch")
                .then().statusCode(400).body("violations[0].field", is("messages"));
        given().get("/api/messages?profileId=" + profileId).then().statusCode(200).body("size()", is(0));
    }

    private static JsonPath batch(String... items) {
        return given().contentType("application/json")
                .body("{\"messages\":[" + String.join(",", items) + "]}")
                .post("/api/messages/batch")
                .then().statusCode(200).extract().jsonPath();
    }

    private static String item(String key, UUID profileId, String purpose) {
        return """
                {"idempotencyKey":"%s","profileId":"%s","channel":"sms","template":"pickup-ready","purpose":"%s",
                 "variables":{"orderId":"B-1","storeName":"Dortmund"}}""".formatted(key, profileId, purpose);
    }

    private static String single(UUID profileId) {
        return """
                {"profileId":"%s","channel":"sms","template":"pickup-ready","purpose":"marketing",
                 "variables":{"orderId":"B-2","storeName":"Bochum"}}""".formatted(profileId);
    }

    /** A UTC offset where the service's clock reads about {@code local} now (outside quiet hours at noon). */
    private ZoneOffset zoneWhereItIs(LocalTime local) {
        ZonedDateTime utc = clock.now().atZone(ZoneOffset.UTC);
        int total = Math.floorMod((local.getHour() - utc.getHour()) * 60 + local.getMinute() - utc.getMinute()
                + 12 * 60, 24 * 60) - 12 * 60;
        int rounded = Math.round(total / 30f) * 30;
        return ZoneOffset.ofTotalSeconds(Math.max(-12 * 60, Math.min(14 * 60, rounded)) * 60);
    }

    private static String phone() {
        return "+49151" + IntStream.range(0, 7).mapToObj(i -> String.valueOf(ThreadLocalRandom.current().nextInt(10)))
                .collect(Collectors.joining());
    }
}
