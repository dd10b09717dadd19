package dev.omni.messaging;

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
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
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

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Quiet hours (21:00–08:00 by default) and frequency caps (2 per channel and 4 overall per day by default). */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = ProviderStubResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class GuardTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @InjectProviderStubs
    ProviderStubs stubs;

    @Inject
    MovableTimeSource clock;

    @Test
    void marketingDuringQuietHoursIsHeldUntilTheyEndInTheProfilesZoneThenSent() {
        String phone = phone();
        ZoneOffset zone = zoneWhereItIs(LocalTime.of(23, 30));
        UUID profileId = Fixtures.profile(kafka, null, phone, null, Map.of("timeZone", zone.getId()));
        Fixtures.consent(kafka, profileId, "marketing", "granted", "sms");

        String id = marketing(profileId, "sms").then().statusCode(201)
                .body("status", is("HELD")).body("reason", is("quiet_hours"))
                .extract().path("id");
        Instant sendAfter = Instant.parse(given().get("/api/messages/" + id).then().extract().path("sendAfter"));
        ZonedDateTime localEnd = sendAfter.atZone(zone);
        assertThat(localEnd.toLocalTime()).isEqualTo(LocalTime.of(8, 0));
        assertThat(Duration.between(clock.now(), sendAfter)).isBetween(Duration.ofHours(8), Duration.ofHours(9));

        pause();
        assertThat(stubs.receivedWith("sms-primary", phone.substring(1))).isEmpty();
        given().get("/api/messages/" + id).then().body("status", is("HELD"));

        clock.advance(Duration.between(clock.now(), sendAfter).plusSeconds(1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/messages/" + id)
                .then().body("status", is("SENT")));
        assertThat(stubs.receivedWith("sms-primary", phone.substring(1))).hasSize(1);
    }

    @Test
    void transactionalMessagesIgnoreQuietHours() {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null,
                Map.of("timeZone", zoneWhereItIs(LocalTime.of(2, 0)).getId()));

        given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"sms","template":"pickup-ready",
                         "variables":{"orderId":"A-9","storeName":"Leipzig"}}
                        """.formatted(profileId))
                .post("/api/messages").then().statusCode(201).body("status", is("SENT"));
    }

    @Test
    void consentWithdrawnWhileHeldStopsTheMessage() {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null,
                Map.of("timeZone", zoneWhereItIs(LocalTime.of(22, 0)).getId()));
        Fixtures.consent(kafka, profileId, "marketing", "granted", "sms");
        String id = marketing(profileId, "sms").then().statusCode(201).body("status", is("HELD"))
                .extract().path("id");

        Fixtures.consent(kafka, profileId, "marketing", "revoked", "sms");
        clock.advance(Duration.ofHours(11));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/messages/" + id)
                .then().body("status", is("SUPPRESSED")).body("reason", is("consent")));
        assertThat(stubs.receivedWith("sms-primary", phone.substring(1))).isEmpty();
    }

    @Test
    void channelCapHoldsUnderConcurrentSends() throws Exception {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null,
                Map.of("timeZone", zoneWhereItIs(LocalTime.of(12, 0)).getId()));
        Fixtures.consent(kafka, profileId, "marketing", "granted", "sms");

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<String>> sends = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sends.add(() -> marketing(profileId, "sms").then().statusCode(201).extract().path("status"));
        }
        List<String> statuses = new ArrayList<>();
        for (Future<String> status : pool.invokeAll(sends)) {
            statuses.add(status.get());
        }
        pool.shutdown();

        assertThat(statuses).filteredOn("SENT"::equals).hasSize(2);
        assertThat(statuses).filteredOn("SUPPRESSED"::equals).hasSize(6);
        assertThat(stubs.receivedWith("sms-primary", phone.substring(1))).hasSize(2);
        given().queryParam("profileId", profileId.toString()).get("/api/messages").then()
                .body("findAll { it.reason == 'frequency_cap' }.size()", is(6));
    }

    @Test
    void globalCapCountsEveryChannelButNotTransactionalMessages() {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, "push-" + UUID.randomUUID(),
                Map.of("timeZone", zoneWhereItIs(LocalTime.of(12, 0)).getId()));
        Fixtures.consent(kafka, profileId, "marketing", "granted", "sms", "push", "whatsapp");
        given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"sms","template":"pickup-ready",
                         "variables":{"orderId":"A-10","storeName":"Köln"}}
                        """.formatted(profileId))
                .post("/api/messages").then().statusCode(201).body("status", is("SENT"));

        marketing(profileId, "sms").then().body("status", is("SENT"));
        marketing(profileId, "sms").then().body("status", is("SENT"));
        marketing(profileId, "push").then().body("status", is("SENT"));
        marketing(profileId, "chat").then().body("status", is("SENT"));
        marketing(profileId, "push").then().body("status", is("SUPPRESSED")).body("reason", is("frequency_cap"))
                .body("detail", containsString("all channels per day"));
    }

    /** A marketing message (the pickup template serves every channel). */
    private static io.restassured.response.Response marketing(UUID profileId, String channel) {
        return given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"%s","template":"pickup-ready","purpose":"marketing",
                         "variables":{"orderId":"A-11","storeName":"Essen"}}
                        """.formatted(profileId, channel))
                .post("/api/messages");
    }

    /** A UTC offset where the service's clock reads about {@code local} now. */
    private ZoneOffset zoneWhereItIs(LocalTime local) {
        ZonedDateTime utc = clock.now().atZone(ZoneOffset.UTC);
        int hours = local.getHour() - utc.getHour();
        int minutes = local.getMinute() - utc.getMinute();
        int total = Math.floorMod(hours * 60 + minutes + 12 * 60, 24 * 60) - 12 * 60;
        int rounded = Math.round(total / 30f) * 30;
        return ZoneOffset.ofTotalSeconds(Math.max(-12 * 60, Math.min(14 * 60, rounded)) * 60);
    }

    private static void pause() {
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
    }

    private static String phone() {
        return "+49152" + ThreadLocalRandom.current().nextLong(10_000_000L, 99_999_999L);
    }
}
