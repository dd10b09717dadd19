package dev.omni.messaging;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.omni.messaging.support.EmailFailoverResource;
import dev.omni.messaging.support.Fixtures;
import dev.omni.messaging.support.InjectProviderStubs;
import dev.omni.messaging.support.ScriptedSmtpServer;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Failover inside the email channel: the primary SMTP server down, answering a transient 451 (retried with backoff,
 * then the backup) or a permanent 550 (the backup at once); when both fail the message is {@code FAILED}.
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = EmailFailoverResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmailFailoverTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @InjectProviderStubs
    ScriptedSmtpServer primary;

    @InjectProviderStubs
    GreenMail backup;

    @BeforeEach
    void reset() {
        primary.reset();
    }

    @Test
    void primaryDownSendsThroughTheBackupServerOnce() throws Exception {
        primary.mode(ScriptedSmtpServer.Mode.DOWN);
        String email = "down-" + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, null, null, Map.of());

        String id = pickupReady(profileId).then().statusCode(201)
                .body("status", is("SENT")).body("provider", is("smtp-backup")).extract().path("id");

        List<MimeMessage> mails = mailsTo(email);
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getHeader("X-Omni-Message-Id")).containsExactly(id);
        assertThat(mails.get(0).getFrom()[0].toString()).contains("backup@omni.local");
        assertThat(GreenMailUtil.getBody(mails.get(0))).contains("Berlin Mitte");
    }

    @Test
    void transientRefusalIsRetriedWithBackoffThenTheBackupSends() {
        primary.mode(ScriptedSmtpServer.Mode.TRANSIENT);
        String email = "busy-" + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, null, null, Map.of());

        pickupReady(profileId).then().statusCode(201)
                .body("status", is("SENT")).body("provider", is("smtp-backup"));

        assertThat(primary.recipients()).as("451 is retried: three attempts at the primary").isEqualTo(3);
        assertThat(mailsTo(email)).hasSize(1);
    }

    @Test
    void permanentRefusalFailsOverWithoutRetrying() {
        primary.mode(ScriptedSmtpServer.Mode.PERMANENT);
        String email = "refused-" + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, null, null, Map.of());

        pickupReady(profileId).then().statusCode(201)
                .body("status", is("SENT")).body("provider", is("smtp-backup"));

        assertThat(primary.recipients()).as("550 is final at this provider: no retry").isEqualTo(1);
        assertThat(mailsTo(email)).hasSize(1);
    }

    /** Last: the backup server stays down afterwards. */
    @Test
    @Order(Integer.MAX_VALUE)
    void bothServersFailingFailsTheMessage() {
        primary.mode(ScriptedSmtpServer.Mode.PERMANENT);
        backup.stop();
        String email = "nowhere-" + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, null, null, Map.of());

        pickupReady(profileId).then().statusCode(201)
                .body("status", is("FAILED")).body("reason", is("provider")).body("provider", is("smtp-backup"))
                .body("detail", containsString("smtp-backup"));
    }

    private List<MimeMessage> mailsTo(String address) {
        return Arrays.stream(backup.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(r -> r.toString().contains(address));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static io.restassured.response.Response pickupReady(UUID profileId) {
        return given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"email","template":"pickup-ready",
                         "variables":{"orderId":"A-78","storeName":"Berlin Mitte"}}
                        """.formatted(profileId))
                .post("/api/messages");
    }
}
