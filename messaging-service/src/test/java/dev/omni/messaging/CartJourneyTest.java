package dev.omni.messaging;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.omni.contracts.Channel;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.availability.BackInStock;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.contracts.reservation.ReservationAtRisk;
import dev.omni.messaging.journey.JourneyTimers;
import dev.omni.messaging.message.Message;
import dev.omni.messaging.message.MessageStatus;
import dev.omni.messaging.message.Purpose;
import dev.omni.messaging.support.Fixtures;
import dev.omni.messaging.support.InjectProviderStubs;
import dev.omni.messaging.support.MovableTimeSource;
import dev.omni.messaging.support.ProviderStubResource;
import dev.omni.messaging.support.ProviderStubs;
import dev.omni.messaging.support.QuietHoursOff;
import dev.omni.testing.InjectGreenMail;
import dev.omni.testing.ServiceInfraResource;
import dev.omni.testing.SmtpResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Journeys on a moved clock: the built-in cart abandonment (wait 1 h → push → 4 h unread → email → 1 d unclicked →
 * SMS with a discount code; an order ends it), durable timers and dispatch leases, and journeys made through the API
 * on other triggers.
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = ProviderStubResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = QuietHoursOff.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class CartJourneyTest {

    private static final String RUNS = "/api/journeys/cart-abandonment/runs";

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @InjectGreenMail
    GreenMail mail;

    @InjectProviderStubs
    ProviderStubs stubs;

    @Inject
    MovableTimeSource clock;

    @Inject
    JourneyTimers timers;

    @Test
    void unreadPushFallsBackToEmailThenToAnSmsWithTheDiscountCode() {
        Shopper shopper = shopper();
        interaction(shopper.id, "cart_item_added", Map.of("sku", "SNK-RUNNER-42-WHT"));
        awaitStep(shopper.id, "idle");

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> !stubs.receivedWith("fcm", shopper.pushToken).isEmpty());
        assertThat(stubs.receivedWith("fcm", shopper.pushToken).get(0).body()).contains("SNK-RUNNER-42-WHT");
        awaitStep(shopper.id, "push-unread");
        assertThat(mailsTo(shopper.email)).isEmpty();

        clock.advance(Duration.ofHours(4).plusSeconds(1));
        MimeMessage reminder = await().atMost(Duration.ofSeconds(60)).until(() -> mailsTo(shopper.email),
                found -> !found.isEmpty()).get(0);
        assertThat(GreenMailUtil.getBody(reminder)).contains("SNK-RUNNER-42-WHT").contains("/t/c/");
        awaitStep(shopper.id, "email-unclicked");
        assertThat(stubs.receivedWith("sms-primary", shopper.phone.substring(1))).isEmpty();

        clock.advance(Duration.ofDays(1).plusSeconds(1));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !stubs.receivedWith("sms-primary", shopper.phone.substring(1)).isEmpty());
        assertThat(stubs.receivedWith("sms-primary", shopper.phone.substring(1)).get(0).body()).contains("COMEBACK10");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("profileId", shopper.id.toString())
                .get(RUNS).then().body("[0].status", is("COMPLETED")));

        given().queryParam("profileId", shopper.id.toString()).get("/api/messages").then()
                .body("channel", containsInAnyOrder("push", "email", "sms"))
                .body("status", everyItem(is("SENT")))
                .body("journeyId", everyItem(is("cart-abandonment")));
        assertThat(stubs.receivedWith("fcm", shopper.pushToken)).hasSize(1);
        assertThat(mailsTo(shopper.email)).hasSize(1);
        assertThat(stubs.receivedWith("sms-primary", shopper.phone.substring(1))).hasSize(1);
    }

    @Test
    void readPushEndsTheJourneyWithoutEmail() {
        Shopper shopper = shopper();
        interaction(shopper.id, "cart_item_added", Map.of("sku", "TEE-BASIC-M"));
        awaitStep(shopper.id, "idle");
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        awaitStep(shopper.id, "push-unread");

        String push = await().atMost(Duration.ofSeconds(60)).until(() -> given()
                .queryParam("profileId", shopper.id.toString()).get("/api/messages").then()
                .extract().<String>path("[0].providerMessageId"), Objects::nonNull);
        given().contentType("application/json").body("{\"id\":\"" + push + "\",\"status\":\"read\"}")
                .post("/api/receipts/fcm").then().statusCode(200).body("applied", is(1));

        clock.advance(Duration.ofHours(4).plusSeconds(1));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("profileId", shopper.id.toString())
                .get(RUNS).then().body("[0].status", is("COMPLETED")));
        assertThat(mailsTo(shopper.email)).isEmpty();
    }

    @Test
    void anOrderMidwayStopsTheJourney() {
        Shopper shopper = shopper();
        interaction(shopper.id, "cart_item_added", Map.of("sku", "JKT-RAIN-L"));
        awaitStep(shopper.id, "idle");
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        awaitStep(shopper.id, "push-unread");

        interaction(shopper.id, "order_completed", Map.of("orderId", "A-500"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("profileId", shopper.id.toString())
                .get(RUNS).then().body("[0].status", is("EXITED")).body("[0].endReason", is("exit: order_completed")));

        clock.advance(Duration.ofDays(2));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        given().queryParam("profileId", shopper.id.toString()).get("/api/messages").then()
                .body("channel", contains("push"));
        assertThat(mailsTo(shopper.email)).isEmpty();
    }

    @Test
    void waitingRunIsATimerRowThatCompetingPollersFireOnce() throws Exception {
        Shopper shopper = shopper();
        interaction(shopper.id, "cart_item_added", Map.of("sku", "CAP-WOOL"));
        awaitStep(shopper.id, "idle");
        given().queryParam("profileId", shopper.id.toString()).get(RUNS).then()
                .body("[0].status", is("ACTIVE")).body("[0].wakesAt", notNullValue());

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        // the service's own poller and four more, as if five replicas raced for the due timer
        List<CompletableFuture<Integer>> pollers = java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        return VertxContextSupport.subscribeAndAwait(() -> timers.fireDue());
                    } catch (Throwable e) {
                        throw new IllegalStateException(e);
                    }
                })).toList();
        for (CompletableFuture<Integer> poller : pollers) {
            poller.get();
        }
        awaitStep(shopper.id, "push-unread");
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(60))
                .until(() -> !stubs.receivedWith("fcm", shopper.pushToken).isEmpty());
        given().queryParam("profileId", shopper.id.toString()).get("/api/messages").then()
                .body("size()", is(1)).body("[0].stepId", is("push-reminder"));
        assertThat(stubs.receivedWith("fcm", shopper.pushToken)).hasSize(1);
    }

    @Test
    void messageClaimedByADispatcherThatDiedIsSentOnceWhenItsLeaseEnds() throws Throwable {
        Shopper shopper = shopper();
        Instant now = clock.now();
        UUID id = UUID.randomUUID();
        // what a crash between claim and provider answer leaves behind: SENDING with a lease nobody renews
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
            Message message = new Message();
            message.id = id;
            message.profileId = shopper.id;
            message.channel = "push";
            message.purpose = Purpose.MARKETING;
            message.templateId = "cart-reminder";
            message.status = MessageStatus.SENDING;
            message.recipient = shopper.pushToken;
            message.subject = "Still thinking about it?";
            message.text = "Your cart is waiting";
            message.leaseUntil = now.plusSeconds(60);
            message.createdAt = now;
            message.updatedAt = now;
            return message.persist();
        }));
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(stubs.receivedWith("fcm", shopper.pushToken)).isEmpty();

        clock.advance(Duration.ofSeconds(61));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/messages/" + id)
                .then().body("status", is("SENT")).body("provider", is("fcm")));
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(stubs.receivedWith("fcm", shopper.pushToken)).hasSize(1);
    }

    @Test
    void erasureStopsTheRunAndItsTimers() {
        Shopper shopper = shopper();
        interaction(shopper.id, "cart_item_added", Map.of("sku", "BAG-TOTE"));
        awaitStep(shopper.id, "idle");

        Fixtures.produce(kafka, CloudEvent.of(EventType.PROFILE_ERASED, Fixtures.SOURCE, shopper.id.toString(),
                new ProfileErased(shopper.id.toString(), Instant.now())));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("profileId", shopper.id.toString())
                .get(RUNS).then().body("[0].status", is("STOPPED")).body("[0].endReason", is("erased"))
                .body("[0].wakesAt", nullValue()));
        clock.advance(Duration.ofHours(2));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(stubs.receivedWith("fcm", shopper.pushToken)).isEmpty();
    }

    @Test
    void journeyCreatedByApiStartsOnBackInStockForEverySubscriber() {
        given().contentType("application/json").body("""
                        {"id":"back-in-stock-alert","name":"Back in stock","trigger":{"type":"back-in-stock"},
                         "steps":[{"id":"tell","type":"send","channel":"push","template":"back-in-stock"}]}
                        """)
                .post("/api/journeys").then().statusCode(201).body("definition.steps[0].id", is("tell"));
        Shopper first = shopper();
        Shopper second = shopper();

        Fixtures.produce(kafka, CloudEvent.of(EventType.BACK_IN_STOCK, "/inventory-service", "back-in-stock:BOOT-CHELSEA-43",
                new BackInStock("BOOT-CHELSEA-43", "BOOT-CHELSEA", null, 5,
                        List.of(first.id.toString(), second.id.toString()), Instant.now())));

        for (Shopper shopper : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !stubs.receivedWith("fcm", shopper.pushToken).isEmpty());
            assertThat(stubs.receivedWith("fcm", shopper.pushToken).get(0).body()).contains("BOOT-CHELSEA-43");
            given().queryParam("profileId", shopper.id.toString()).get("/api/journeys/back-in-stock-alert/runs")
                    .then().body("[0].status", is("COMPLETED"));
        }
    }

    @Test
    void reservationAtRiskTriggersATransactionalJourney() {
        given().contentType("application/json").body("""
                        {"id":"reservation-at-risk","name":"Reservation at risk","purpose":"transactional",
                         "trigger":{"type":"reservation-at-risk"},
                         "steps":[{"id":"warn","type":"send","channel":"email","template":"reservation-at-risk"}]}
                        """)
                .post("/api/journeys").then().statusCode(201);
        String email = "res." + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, null, null, Map.of("firstName", "Rae"));

        Fixtures.produce(kafka, CloudEvent.of(EventType.RESERVATION_AT_RISK, "/inventory-service", "R-1",
                new ReservationAtRisk("R-1", profileId.toString(), "SNK-RUNNER-42-WHT", "store-berlin-mitte", 1,
                        Instant.now())));

        MimeMessage warning = await().atMost(Duration.ofSeconds(60)).until(() -> mailsTo(email),
                found -> !found.isEmpty()).get(0);
        assertThat(GreenMailUtil.getBody(warning)).contains("R-1");
    }

    @Test
    void noMarketingConsentMeansTheJourneyMovesOnButSendsNothing() {
        String email = "nc." + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, null, null, Map.of());
        interaction(profileId, "cart_item_added", Map.of("sku", "SOCK-3P"));
        awaitStep(profileId, "idle");

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        awaitStep(profileId, "email-unclicked");
        given().queryParam("profileId", profileId.toString()).get("/api/messages").then()
                .body("[0].channel", is("email"))
                .body("[0].status", is("SUPPRESSED"))
                .body("[0].reason", is("consent"));
        assertThat(mailsTo(email)).isEmpty();
    }

    private record Shopper(UUID id, String email, String phone, String pushToken) {
    }

    private Shopper shopper() {
        String email = "shopper." + UUID.randomUUID() + "@example.com";
        String phone = "+49160" + ThreadLocalRandom.current().nextLong(10_000_000L, 99_999_999L);
        String token = "push-" + UUID.randomUUID();
        UUID id = Fixtures.profile(kafka, email, phone, token, Map.of("firstName", "Sam"));
        Fixtures.consent(kafka, id, "marketing", "granted", "email", "sms", "push");
        return new Shopper(id, email, phone, token);
    }

    private void interaction(UUID profileId, String event, Map<String, Object> properties) {
        Fixtures.produce(kafka, CloudEvent.of(EventType.INTERACTION_RECORDED, Fixtures.SOURCE, profileId.toString(),
                new InteractionRecorded(profileId.toString(), UUID.randomUUID().toString(), "track", event,
                        Channel.WEB, Instant.now(), properties, "order_completed".equals(event) ? new BigDecimal("59.90")
                        : null, "EUR", null)));
    }

    private static void awaitStep(UUID profileId, String step) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("profileId", profileId.toString())
                .get(RUNS).then().body("[0].currentStep", is(step)));
    }

    private List<MimeMessage> mailsTo(String address) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
