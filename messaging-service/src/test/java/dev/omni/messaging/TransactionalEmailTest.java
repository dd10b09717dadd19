package dev.omni.messaging;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.messaging.support.Fixtures;
import dev.omni.testing.InjectGreenMail;
import dev.omni.testing.ServiceInfraResource;
import dev.omni.testing.SmtpResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class TransactionalEmailTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @InjectGreenMail
    GreenMail mail;

    @Test
    void orderConfirmationGoesByEmailToTheAddressTheProfileEventCarried() throws Exception {
        String email = "anna." + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email.toUpperCase(), null, null, Map.of("firstName", "Anna"));

        String messageId = given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"email","template":"order-confirmation",
                         "variables":{"orderId":"A-1001","total":"129.90 EUR"}}
                        """.formatted(profileId))
                .post("/api/messages")
                .then().statusCode(201)
                .body("status", is("SENT"))
                .body("provider", is("smtp"))
                .body("recipient", is(email))
                .extract().path("id");

        MimeMessage received = await().atMost(Duration.ofSeconds(30)).until(() -> Arrays.stream(mail.getReceivedMessages())
                .filter(m -> recipients(m).contains(email)).findFirst().orElse(null), m -> m != null);
        assertThat(received.getSubject()).isEqualTo("Your order A-1001 is confirmed");
        assertThat(received.getContentType()).startsWith("multipart/");
        String body = GreenMailUtil.getBody(received);
        assertThat(body).contains("Hello Anna").contains("A-1001").contains("129.90 EUR");
        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertThat(contentTypes(parts)).contains("text/plain", "text/html");

        CloudEvent<?> sent = Fixtures.messageEvent(kafka, messageId, e -> e.type().equals(EventType.MESSAGE_SENT.type()));
        MessageStatusChanged data = (MessageStatusChanged) sent.data();
        assertThat(data.profileId()).isEqualTo(profileId.toString());
        assertThat(data.templateId()).isEqualTo("order-confirmation");
        assertThat(data.provider()).isEqualTo("smtp");
    }

    @Test
    void marketingWithoutConsentIsSuppressedWithReasonAndNoMail() {
        String email = "bob." + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, null, null, Map.of("firstName", "Bob"));

        String messageId = given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"email","template":"order-confirmation","purpose":"marketing",
                         "variables":{"orderId":"A-2","total":"1 EUR"}}
                        """.formatted(profileId))
                .post("/api/messages")
                .then().statusCode(201)
                .body("status", is("SUPPRESSED"))
                .body("reason", is("consent"))
                .body("recipient", nullValue())
                .extract().path("id");

        CloudEvent<?> suppressed = Fixtures.messageEvent(kafka, messageId,
                e -> e.type().equals(EventType.MESSAGE_SUPPRESSED.type()));
        assertThat(((MessageStatusChanged) suppressed.data()).reason()).isEqualTo("consent");
        assertThat(Arrays.stream(mail.getReceivedMessages()).filter(m -> recipients(m).contains(email))).isEmpty();
    }

    @Test
    void transactionalMessageTheProfileOptedOutOfIsSuppressed() {
        String email = "carla." + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, null, null, Map.of());
        Fixtures.consent(kafka, profileId, "transactional", "revoked", "email");

        given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"email","template":"pickup-ready",
                         "variables":{"orderId":"A-3","storeName":"Berlin Mitte"}}
                        """.formatted(profileId))
                .post("/api/messages")
                .then().statusCode(201)
                .body("status", is("SUPPRESSED"))
                .body("reason", is("consent"));
        assertThat(Arrays.stream(mail.getReceivedMessages()).filter(m -> recipients(m).contains(email))).isEmpty();
    }

    @Test
    void repeatedIdempotencyKeyReturnsTheFirstMessageAndSendsOnce() {
        String email = "dora." + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, null, null, Map.of());
        String body = """
                {"profileId":"%s","channel":"email","template":"pickup-ready",
                 "variables":{"orderId":"A-4","storeName":"Hamburg"}}
                """.formatted(profileId);
        String key = "pickup-A-4-" + UUID.randomUUID();

        String first = given().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/api/messages").then().statusCode(201).extract().path("id");
        String second = given().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/api/messages").then().statusCode(200).body("status", is("SENT")).extract().path("id");

        assertThat(second).isEqualTo(first);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(Arrays.stream(mail.getReceivedMessages()).filter(m -> recipients(m).contains(email))).hasSize(1);
    }

    @Test
    void erasedProfileLosesItsContactPointsAndGetsNothing() {
        String email = "erin." + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, "+4915112345678", null, Map.of("firstName", "Erin"));

        Fixtures.produce(kafka, CloudEvent.of(EventType.PROFILE_ERASED, Fixtures.SOURCE, profileId.toString(),
                new ProfileErased(profileId.toString(), Instant.now())));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/contacts/" + profileId)
                .then().body("erased", is(true)).body("email", nullValue()).body("phone", nullValue()));

        given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"email","template":"pickup-ready",
                         "variables":{"orderId":"A-5","storeName":"Munich"}}
                        """.formatted(profileId))
                .post("/api/messages")
                .then().statusCode(201)
                .body("status", is("SUPPRESSED"));
        assertThat(Arrays.stream(mail.getReceivedMessages()).filter(m -> recipients(m).contains(email))).isEmpty();
    }

    private static java.util.List<String> recipients(MimeMessage message) {
        try {
            Address[] to = message.getAllRecipients();
            return to == null ? java.util.List.of() : Arrays.stream(to).map(Address::toString).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.List<String> contentTypes(MimeMultipart multipart) throws Exception {
        java.util.List<String> types = new java.util.ArrayList<>();
        for (int i = 0; i < multipart.getCount(); i++) {
            var part = multipart.getBodyPart(i);
            if (part.getContent() instanceof MimeMultipart nested) {
                types.addAll(contentTypes(nested));
            } else {
                types.add(part.getContentType().split(";")[0].trim().toLowerCase());
            }
        }
        return types;
    }
}
