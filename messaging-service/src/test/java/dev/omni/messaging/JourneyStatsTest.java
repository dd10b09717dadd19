package dev.omni.messaging;

import com.icegreen.greenmail.util.GreenMail;
import dev.omni.contracts.Channel;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.messaging.support.Fixtures;
import dev.omni.messaging.support.InjectProviderStubs;
import dev.omni.messaging.support.MovableTimeSource;
import dev.omni.messaging.support.ProviderStubResource;
import dev.omni.messaging.support.ProviderStubs;
import dev.omni.messaging.support.QuietHoursOff;
import dev.omni.testing.InjectGreenMail;
import dev.omni.testing.ServiceInfraResource;
import dev.omni.testing.SmtpResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/**
 * A journey's stats after a real run of it: four shoppers through email → wait → push, one without consent, one who
 * orders mid-way, one who opens and clicks the email and gets the push delivered; every count is exact.
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = ProviderStubResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = QuietHoursOff.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class JourneyStatsTest {

    private static final Pattern CLICK = Pattern.compile("href=\"(http://localhost:8083/t/c/[^\"]+)\"");
    private static final Pattern PIXEL = Pattern.compile("src=\"(http://localhost:8083/t/o/[^\"]+)\"");
    private static final String JOURNEY = "wishlist-nudge";
    private static final String TRIGGER = "wishlist_item_added";

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @InjectGreenMail
    GreenMail mail;

    @InjectProviderStubs
    ProviderStubs stubs;

    @Inject
    MovableTimeSource clock;

    @Test
    void statsCountRunsStepsMessagesAndSuppressionsOfARealRun() throws Exception {
        given().contentType("application/json").body("""
                        {"id":"%s","name":"Wishlist nudge","trigger":{"type":"interaction","event":"%s"},
                         "exitWhen":[{"event":"order_completed"}],
                         "variables":{"cartUrl":"https://shop.omni.local/wishlist"},
                         "steps":[
                           {"id":"mail","type":"send","channel":"email","template":"cart-reminder","next":"pause"},
                           {"id":"pause","type":"wait","duration":"PT1H","next":"has-app"},
                           {"id":"has-app","type":"condition","if":{"hasContact":"push"},"then":"push"},
                           {"id":"push","type":"send","channel":"push","template":"cart-reminder"}]}
                        """.formatted(JOURNEY, TRIGGER))
                .post("/api/journeys").then().statusCode(201);
        Shopper clicker = shopper(true);
        Shopper quiet = shopper(true);
        Shopper noConsent = shopper(false);
        Shopper buyer = shopper(true);
        for (Shopper shopper : List.of(clicker, quiet, noConsent, buyer)) {
            interaction(shopper.id, TRIGGER);
            awaitRun(shopper.id, "currentStep", "pause");
        }

        // the clicker opens and clicks the email; the buyer orders during the wait
        for (Shopper shopper : List.of(clicker, quiet, buyer)) {
            awaitMail(shopper.email);
        }
        String html = html(awaitMail(clicker.email));
        given().urlEncodingEnabled(false).redirects().follow(false).get(pathAndQuery(first(PIXEL, html)))
                .then().statusCode(200);
        given().urlEncodingEnabled(false).redirects().follow(false).get(pathAndQuery(first(CLICK, html)))
                .then().statusCode(302);
        interaction(buyer.id, "order_completed");
        awaitRun(buyer.id, "status", "EXITED");

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        for (Shopper shopper : List.of(clicker, quiet, noConsent)) {
            awaitRun(shopper.id, "status", "COMPLETED");
        }
        String push = await().atMost(Duration.ofSeconds(60)).until(() -> given()
                .queryParam("profileId", clicker.id.toString()).get("/api/messages").then().extract()
                .<String>path("find { it.stepId == 'push' }.providerMessageId"), Objects::nonNull);
        await().atMost(Duration.ofSeconds(60)).until(() -> stubs.receivedWith("fcm", quiet.pushToken).size() == 1);
        given().contentType("application/json").body("{\"id\":\"" + push + "\",\"status\":\"delivered\"}")
                .post("/api/receipts/fcm").then().statusCode(200).body("applied", is(1));

        JsonPath stats = given().get("/api/journeys/" + JOURNEY + "/stats").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertThat(stats.getString("journeyId")).isEqualTo(JOURNEY);
        assertThat(stats.getBoolean("active")).isTrue();
        assertThat(stats.getLong("entered")).isEqualTo(4);
        assertThat(stats.getLong("completed")).isEqualTo(3);
        assertThat(stats.getLong("exited")).isEqualTo(1);
        assertThat(stats.getList("steps.step")).containsExactly("mail", "pause", "has-app", "push");
        assertThat(stats.getList("steps.type")).containsExactly("send", "wait", "condition", "send");
        assertThat(stats.getList("steps.channel")).containsExactly("email", null, null, "push");
        assertThat(stats.getList("steps.entered", Long.class)).containsExactly(4L, 4L, 3L, 3L);
        assertThat(stats.getList("steps.sent", Long.class)).containsExactly(3L, 0L, 0L, 2L);
        assertThat(stats.getList("steps.delivered", Long.class)).containsExactly(1L, 0L, 0L, 1L);
        assertThat(stats.getList("steps.opened", Long.class)).containsExactly(1L, 0L, 0L, 0L);
        assertThat(stats.getList("steps.clicked", Long.class)).containsExactly(1L, 0L, 0L, 0L);
        assertThat(stats.getList("steps.suppressed")).containsExactly(Map.of("consent", 1), Map.of(), Map.of(),
                Map.of("consent", 1));

        // paused, the journey says so and its counts stay
        given().post("/api/journeys/" + JOURNEY + "/deactivate").then().statusCode(200);
        given().get("/api/journeys/" + JOURNEY + "/stats").then().statusCode(200)
                .body("active", is(false)).body("entered", is(4));
    }

    @Test
    void unknownJourneyIs404Problem() {
        given().get("/api/journeys/no-such-journey/stats").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private record Shopper(UUID id, String email, String pushToken) {
    }

    private Shopper shopper(boolean consents) {
        String email = "stats." + UUID.randomUUID() + "@example.com";
        String token = "push-" + UUID.randomUUID();
        UUID id = Fixtures.profile(kafka, email, null, token, Map.of("firstName", "Sam"));
        if (consents) {
            Fixtures.consent(kafka, id, "marketing", "granted", "email", "push");
        }
        return new Shopper(id, email, token);
    }

    private void interaction(UUID profileId, String event) {
        Fixtures.produce(kafka, CloudEvent.of(EventType.INTERACTION_RECORDED, Fixtures.SOURCE, profileId.toString(),
                new InteractionRecorded(profileId.toString(), UUID.randomUUID().toString(), "track", event,
                        Channel.WEB, Instant.now(), Map.of("sku", "CAP-WOOL"),
                        "order_completed".equals(event) ? new BigDecimal("19.90") : null, "EUR", null)));
    }

    private static void awaitRun(UUID profileId, String field, String value) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("profileId", profileId.toString())
                .get("/api/journeys/" + JOURNEY + "/runs").then().body("[0]." + field, is(value)));
    }

    private MimeMessage awaitMail(String address) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> Arrays.stream(mail.getReceivedMessages())
                .filter(m -> {
                    try {
                        return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).findFirst().orElse(null), Objects::nonNull);
    }

    private static String html(MimeMessage message) throws Exception {
        return html((Multipart) message.getContent());
    }

    private static String html(Multipart multipart) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.getContent() instanceof Multipart nested && html(nested) != null) {
                return html(nested);
            }
            if (part.isMimeType("text/html")) {
                return (String) part.getContent();
            }
        }
        return null;
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(pattern + " in " + text).isTrue();
        return matcher.group(1).replace("&amp;", "&");
    }

    private static String pathAndQuery(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }
}
