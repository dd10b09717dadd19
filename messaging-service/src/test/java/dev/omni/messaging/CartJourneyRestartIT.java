package dev.omni.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import dev.omni.contracts.Channel;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.messaging.support.Fixtures;
import dev.omni.messaging.support.ProviderStubResource;
import dev.omni.messaging.support.ProviderStubs;
import dev.omni.testing.ServiceInfraResource;
import dev.omni.testing.ServiceProcess;
import dev.omni.testing.SmtpResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/**
 * The cart journey survives {@code kill -9} of the service — the packaged app as a real process
 * ({@link ServiceProcess}) on a fresh database, its own broker, a real SMTP server and the provider stubs.
 *
 * <p>The built-in journey waits hours, and a separate process cannot be given the tests' movable clock, so the test
 * installs the built-in definition as shipped ({@code journeys/cart-abandonment.json}) with only its waits shortened
 * to seconds ({@code install-built-ins=false}, so the long one does not start too). Two crashes:
 * <ol>
 *   <li>while the push step is in flight: the push provider has the request but has not answered (the message is
 *       {@code SENDING}); after the restart its lease has ended and it is sent again — the provider took it once;</li>
 *   <li>while the email step's fallback timer waits: the process is down when the timer falls due; after the restart
 *       the timer fires once and the SMS goes out once.</li>
 * </ol>
 * Every step is counted where it lands (FCM stub, SMTP server, Twilio stub) and on {@code omni.message-events}.
 */
class CartJourneyRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNS = "/api/journeys/cart-abandonment/runs";

    private static final ServiceInfraResource infra = new ServiceInfraResource();
    private static final SmtpResource smtp = new SmtpResource();
    private static final ProviderStubResource providers = new ProviderStubResource();
    private static KafkaCompanion kafka;
    private static GreenMail mail;
    private static ProviderStubs stubs;
    private static ServiceProcess app;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> config = new HashMap<>(infra.start());
        config.putAll(smtp.start());
        config.putAll(providers.start());
        kafka = captured(infra, KafkaCompanion.class);
        mail = captured(smtp, GreenMail.class);
        stubs = captured(providers, ProviderStubs.class);
        config.put("omni.messaging.journeys.install-built-ins", "false");
        config.put("omni.messaging.quiet-hours.enabled", "false");
        config.put("omni.messaging.dispatch.poll-interval", "0.2s");
        config.put("omni.messaging.journeys.poll-interval", "0.2s");
        // a message a dead process left SENDING is taken over after 3 s (the default is 2 min)
        config.put("omni.messaging.dispatch.lease", "3s");
        app = ServiceProcess.start("messaging", config);
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = app.port();

        given().contentType("application/json").body(shortenedCartJourney()).post("/api/journeys")
                .then().statusCode(201);
    }

    @AfterAll
    static void stop() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            RestAssured.reset();
            providers.stop();
            smtp.stop();
            infra.stop();
        }
    }

    @Test
    void killedMidJourneyThenRestartedEveryStepIsSentExactlyOnce() throws Exception {
        String email = "restart." + UUID.randomUUID() + "@example.com";
        String phone = "+49160" + ThreadLocalRandom.current().nextLong(10_000_000L, 99_999_999L);
        String token = "push-" + UUID.randomUUID();
        UUID profileId = Fixtures.profile(kafka, email, phone, token, Map.of("firstName", "Kim"));
        Fixtures.consent(kafka, profileId, "marketing", "granted", "email", "sms", "push");
        Instant started = Instant.now();

        // crash 1: the push provider holds the request without answering (8 s, more than the 3 s provider timeout)
        stubs.hangNext("fcm", 1);
        cartItemAdded(profileId);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> !stubs.receivedWith("fcm", token).isEmpty());
        app.kill();
        assertThat(stubs.acceptedWith("fcm", token)).as("the provider had not taken the push").isEmpty();

        app.restart();
        await().atMost(Duration.ofSeconds(60)).until(() -> !stubs.acceptedWith("fcm", token).isEmpty());

        // crash 2: the email went out and its fallback timer (10 s) waits; the process is down when it falls due
        await().atMost(Duration.ofSeconds(60)).until(() -> !mailsTo(email).isEmpty());
        String wakesAt = given().queryParam("profileId", profileId.toString()).get(RUNS).then()
                .body("[0].currentStep", is("email-unclicked")).extract().path("[0].wakesAt");
        assertThat(stubs.receivedWith("sms-primary", phone.substring(1))).isEmpty();
        app.kill();
        Duration untilDue = Duration.between(Instant.now(), Instant.parse(wakesAt)).plusSeconds(1);
        if (!untilDue.isNegative()) {
            Thread.sleep(untilDue.toMillis());
        }
        assertThat(stubs.receivedWith("sms-primary", phone.substring(1))).as("nothing runs while it is down").isEmpty();

        app.restart();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("profileId", profileId.toString())
                .get(RUNS).then().body("size()", is(1)).body("[0].status", is("COMPLETED")));
        await().atMost(Duration.ofSeconds(60)).until(() -> !stubs.acceptedWith("sms-primary", phone.substring(1)).isEmpty());

        // no lost step: push, email and the SMS with the discount code, each SENT (the SMS is recorded SENT just
        // after its provider answered)
        List<Map<String, Object>> messages = await().atMost(Duration.ofSeconds(30)).until(
                () -> given().queryParam("profileId", profileId.toString()).get("/api/messages").then().statusCode(200)
                        .extract().<List<Map<String, Object>>>path("$"),
                found -> found.size() >= 3 && found.stream().allMatch(m -> "SENT".equals(m.get("status"))));
        assertThat(messages).extracting(m -> m.get("stepId"))
                .containsExactlyInAnyOrder("push-reminder", "email-reminder", "sms-discount");

        // no duplicate where the messages landed (a moment later, so a late second send would show)
        Thread.sleep(3_000);
        assertThat(stubs.acceptedWith("fcm", token)).as("push taken by the provider").hasSize(1);
        assertThat(stubs.receivedWith("fcm", token)).as("the unanswered request and the one after the restart")
                .hasSize(2);
        assertThat(mailsTo(email)).as("reminder emails").hasSize(1);
        assertThat(stubs.receivedWith("sms-primary", phone.substring(1))).as("SMS").hasSize(1);
        assertThat(stubs.receivedWith("sms-primary", phone.substring(1)).get(0).body()).contains("COMEBACK10");

        // and one event per status change on omni.message-events
        Map<String, Map<String, Long>> events = messageEvents(messages.stream().map(m -> (String) m.get("id")).toList());
        for (Map<String, Object> message : messages) {
            Map<String, Long> types = events.get((String) message.get("id"));
            assertThat(types).as("events of " + message.get("stepId"))
                    .containsEntry(EventType.MESSAGE_QUEUED.type(), 1L)
                    .containsEntry(EventType.MESSAGE_SENT.type(), 1L);
        }
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofMinutes(5));
    }

    /** The shipped cart journey with its waits shortened: 1 h → 2 s, 4 h → 4 s, 1 d → 10 s. */
    private static String shortenedCartJourney() throws Exception {
        try (InputStream in = CartJourneyRestartIT.class.getResourceAsStream("/journeys/cart-abandonment.json")) {
            ObjectNode journey = (ObjectNode) JSON.readTree(in);
            journey.withArray("steps").forEach(step -> {
                ObjectNode s = (ObjectNode) step;
                if (s.has("duration")) {
                    s.put("duration", "PT2S");
                }
                if (s.has("after")) {
                    s.put("after", "push-unread".equals(s.get("id").asText()) ? "PT4S" : "PT10S");
                }
            });
            return JSON.writeValueAsString(journey);
        }
    }

    private static void cartItemAdded(UUID profileId) {
        Fixtures.produce(kafka, CloudEvent.of(EventType.INTERACTION_RECORDED, Fixtures.SOURCE, profileId.toString(),
                new InteractionRecorded(profileId.toString(), UUID.randomUUID().toString(), "track", "cart_item_added",
                        Channel.WEB, Instant.now(), Map.of("sku", "SNK-RUNNER-42-WHT"), null, "EUR", null)));
    }

    /** Counts of each event type per message id, read from the start of {@code omni.message-events}. */
    private static Map<String, Map<String, Long>> messageEvents(List<String> ids) {
        try (ConsumerTask<String, String> task = kafka.consumeStrings().fromTopics(Topics.MESSAGE_EVENTS)) {
            // queued + sent of each of the three messages, then a moment for anything more to arrive
            await().atMost(Duration.ofSeconds(60)).until(() -> task.getRecords().stream()
                    .filter(r -> ids.contains(r.key())).count() >= ids.size() * 2L);
            Thread.sleep(2_000);
            return task.getRecords().stream().filter(r -> ids.contains(r.key()))
                    .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.groupingBy(
                            r -> EventCodec.decode(r.value()).type(), Collectors.counting())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<MimeMessage> mailsTo(String address) {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            try {
                if (Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address))) {
                    found.add(m);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }

    /** What a test resource would inject into a {@code @QuarkusTest}'s field of this type. */
    private static <T> T captured(QuarkusTestResourceLifecycleManager resource, Class<T> type) {
        AtomicReference<Object> value = new AtomicReference<>();
        resource.inject(new QuarkusTestResourceLifecycleManager.TestInjector() {
            @Override
            public void injectIntoFields(Object fieldValue, java.util.function.Predicate<java.lang.reflect.Field> p) {
                if (type.isInstance(fieldValue)) {
                    value.set(fieldValue);
                }
            }
        });
        return type.cast(value.get());
    }
}
