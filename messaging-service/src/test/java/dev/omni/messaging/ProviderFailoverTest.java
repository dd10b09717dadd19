package dev.omni.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omni.contracts.EventType;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.messaging.receipt.WebhookSignatures;
import dev.omni.messaging.support.Fixtures;
import dev.omni.messaging.support.InjectProviderStubs;
import dev.omni.messaging.support.ProviderStubResource;
import dev.omni.messaging.support.ProviderStubs;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.ws.rs.core.MultivaluedHashMap;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = ProviderStubResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ProviderFailoverTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @InjectProviderStubs
    ProviderStubs stubs;

    @Test
    void smsGoesOutInTwilioShape() {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null, Map.of());

        pickupReady(profileId, "sms").then().statusCode(201)
                .body("status", is("SENT")).body("provider", is("sms-primary"));

        ProviderStubs.Received request = stubs.receivedWith("sms-primary", phone.substring(1)).get(0);
        assertThat(request.path()).isEqualTo("/sms-primary/2010-04-01/Accounts/AC0001/Messages.json");
        assertThat(request.header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("AC0001:twilio-auth-token".getBytes(StandardCharsets.UTF_8)));
        Map<String, String> form = form(request.body());
        assertThat(form).containsEntry("To", phone).containsEntry("From", "+15550000001")
                .containsEntry("StatusCallback", "http://localhost:8083/api/receipts/sms-primary");
        assertThat(form.get("Body")).contains("ready for pickup at Berlin Mitte");
    }

    @Test
    void primaryAnswering5xxIsRetriedThenTheBackupSends() {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null, Map.of());
        stubs.failNext("sms-primary", 503, 2);

        pickupReady(profileId, "sms").then().statusCode(201)
                .body("status", is("SENT")).body("provider", is("sms-backup"));

        assertThat(stubs.receivedWith("sms-primary", phone.substring(1))).hasSize(2);
        assertThat(stubs.receivedWith("sms-backup", phone.substring(1))).hasSize(1);
        assertThat(stubs.receivedWith("sms-backup", phone.substring(1)).get(0).path())
                .isEqualTo("/sms-backup/2010-04-01/Accounts/AC0002/Messages.json");
    }

    @Test
    void primaryThrottlingWith429IsRetriedAtTheSameProvider() {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null, Map.of());
        stubs.failNext("sms-primary", 429, 1);

        pickupReady(profileId, "sms").then().statusCode(201)
                .body("status", is("SENT")).body("provider", is("sms-primary"));

        assertThat(stubs.receivedWith("sms-primary", phone.substring(1))).hasSize(2);
        assertThat(stubs.receivedWith("sms-backup", phone.substring(1))).isEmpty();
    }

    @Test
    void primaryTimingOutFailsOverToTheBackup() {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null, Map.of());
        stubs.hangNext("sms-primary", 2);

        pickupReady(profileId, "sms").then().statusCode(201)
                .body("status", is("SENT")).body("provider", is("sms-backup"));
    }

    @Test
    void primaryRejectingTheRequestFailsOverWithoutRetrying() {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null, Map.of());
        stubs.failNext("sms-primary", 400, 1);

        pickupReady(profileId, "sms").then().statusCode(201).body("provider", is("sms-backup"));
        assertThat(stubs.receivedWith("sms-primary", phone.substring(1))).hasSize(1);
    }

    @Test
    void whenEveryProviderFailsTheMessageFailsAndSaysSo() {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null, Map.of());
        stubs.failNext("sms-primary", 500, 2);
        stubs.failNext("sms-backup", 502, 2);

        String id = pickupReady(profileId, "sms").then().statusCode(201)
                .body("status", is("FAILED")).body("reason", is("provider"))
                .body("detail", containsString("502"))
                .extract().path("id");

        var failed = Fixtures.messageEvent(kafka, id, e -> e.type().equals(EventType.MESSAGE_FAILED.type()));
        assertThat(((MessageStatusChanged) failed.data()).reason()).isEqualTo("provider");
    }

    @Test
    void aBatchRecordsEachFailureWithItsEvent() {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null, Map.of());
        stubs.failNext("sms-primary", 500, 2);
        stubs.failNext("sms-backup", 502, 2);

        String id = given().contentType("application/json").body("""
                        {"messages":[{"profileId":"%s","channel":"sms","template":"pickup-ready",
                          "variables":{"orderId":"A-78","storeName":"Berlin Mitte"}}]}
                        """.formatted(profileId))
                .post("/api/messages/batch").then().statusCode(200)
                .body("messages[0].message.status", is("FAILED"))
                .body("messages[0].message.reason", is("provider"))
                .body("messages[0].message.detail", containsString("502"))
                .extract().path("messages[0].message.id");

        given().get("/api/messages/" + id).then().statusCode(200).body("status", is("FAILED"))
                .body("reason", is("provider")).body("detail", containsString("502"));
        var failed = Fixtures.messageEvent(kafka, id, e -> e.type().equals(EventType.MESSAGE_FAILED.type()));
        assertThat(((MessageStatusChanged) failed.data()).reason()).isEqualTo("provider");
    }

    @Test
    void pushGoesOutInFcmV1Shape() throws Exception {
        String token = "fcm-token-" + UUID.randomUUID();
        UUID profileId = Fixtures.profile(kafka, null, null, token, Map.of());

        String id = pickupReady(profileId, "push").then().statusCode(201)
                .body("status", is("SENT")).body("provider", is("fcm")).extract().path("id");

        ProviderStubs.Received request = stubs.receivedWith("fcm", token).get(0);
        assertThat(request.path()).isEqualTo("/fcm/v1/projects/omni-app/messages:send");
        assertThat(request.header("Authorization")).isEqualTo("Bearer fcm-access-token");
        JsonNode message = JSON.readTree(request.body()).get("message");
        assertThat(message.get("token").asText()).isEqualTo(token);
        assertThat(message.at("/notification/title").asText()).isEqualTo("Ready for pickup");
        assertThat(message.at("/notification/body").asText()).contains("Berlin Mitte");
        assertThat(message.at("/data/omniMessageId").asText()).isEqualTo(id);
    }

    @Test
    void chatGoesOutInWhatsAppCloudShapeAndItsReadReceiptCounts() throws Exception {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null, Map.of("firstName", "Jo"));

        String id = pickupReady(profileId, "chat").then().statusCode(201)
                .body("status", is("SENT")).body("provider", is("whatsapp")).extract().path("id");

        ProviderStubs.Received request = stubs.receivedWith("whatsapp", phone.substring(1)).get(0);
        assertThat(request.path()).isEqualTo("/whatsapp/1065550001/messages");
        assertThat(request.header("Authorization")).isEqualTo("Bearer wa-access-token");
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.get("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(body.get("to").asText()).isEqualTo(phone.substring(1));
        assertThat(body.at("/text/body").asText()).startsWith("Hi Jo!");

        String providerId = stubProviderId(id);
        String webhook = """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
                 "value":{"messaging_product":"whatsapp","statuses":[{"id":"%s","status":"read","timestamp":"1700000000",
                 "recipient_id":"%s"}]}}]}]}""".formatted(providerId, phone.substring(1));
        given().contentType("application/json").header("X-Hub-Signature-256", "sha256=00")
                .body(webhook).post("/api/receipts/whatsapp").then().statusCode(401);
        given().contentType("application/json")
                .header("X-Hub-Signature-256", WebhookSignatures.hub(ProviderStubResource.META_SECRET, webhook))
                .body(webhook).post("/api/receipts/whatsapp").then().statusCode(200).body("applied", is(1));

        given().get("/api/messages/" + id).then().body("status", is("OPENED")).body("openedAt", notNullValue());
        Fixtures.messageEvent(kafka, id, e -> e.type().equals(EventType.MESSAGE_OPENED.type()));
    }

    @Test
    void signedTwilioStatusCallbackMarksTheSmsDelivered() {
        String phone = phone();
        UUID profileId = Fixtures.profile(kafka, null, phone, null, Map.of());
        String id = pickupReady(profileId, "sms").then().statusCode(201).extract().path("id");
        String sid = stubProviderId(id);

        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.add("MessageSid", sid);
        form.add("MessageStatus", "delivered");
        form.add("To", phone);
        String url = "http://localhost:8083/api/receipts/sms-primary";
        given().contentType("application/x-www-form-urlencoded").header("X-Twilio-Signature", "forged")
                .formParams(Map.of("MessageSid", sid, "MessageStatus", "delivered", "To", phone))
                .post("/api/receipts/sms-primary").then().statusCode(401);
        given().get("/api/messages/" + id).then().body("status", is("SENT"));

        given().contentType("application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", WebhookSignatures.twilio(ProviderStubResource.TWILIO_SECRET, url, form))
                .formParams(Map.of("MessageSid", sid, "MessageStatus", "delivered", "To", phone))
                .post("/api/receipts/sms-primary").then().statusCode(200).body("applied", is(1));
        given().get("/api/messages/" + id).then().body("status", is("DELIVERED")).body("deliveredAt", notNullValue());
        Fixtures.messageEvent(kafka, id, e -> e.type().equals(EventType.MESSAGE_DELIVERED.type()));
    }

    /** The id the provider gave the message, as the service recorded it. */
    private static String stubProviderId(String messageId) {
        return given().get("/api/messages/" + messageId).then().statusCode(200).extract().path("providerMessageId");
    }

    private static io.restassured.response.Response pickupReady(UUID profileId, String channel) {
        return given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"%s","template":"pickup-ready",
                         "variables":{"orderId":"A-77","storeName":"Berlin Mitte"}}
                        """.formatted(profileId, channel))
                .post("/api/messages");
    }

    private static String phone() {
        return "+49151" + ThreadLocalRandom.current().nextLong(10_000_000L, 99_999_999L);
    }

    private static Map<String, String> form(String body) {
        return Arrays.stream(body.split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }
}
