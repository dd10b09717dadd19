package dev.omni.messaging;

import com.icegreen.greenmail.util.GreenMail;
import dev.omni.contracts.EventType;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.messaging.support.Fixtures;
import dev.omni.testing.InjectGreenMail;
import dev.omni.testing.ServiceInfraResource;
import dev.omni.testing.SmtpResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class TemplateAndTrackingTest {

    private static final Pattern CLICK = Pattern.compile("href=\"(http://localhost:8083/t/c/[^\"]+)\"");
    private static final Pattern PIXEL = Pattern.compile("src=\"(http://localhost:8083/t/o/[^\"]+)\"");

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @InjectGreenMail
    GreenMail mail;

    @Test
    void previewRendersTheVariantOfTheProfilesLocaleWithEscapedHtml() {
        saveWelcome("en", "Welcome {profile.firstName}", "Hi {profile.firstName}, use {data.code}",
                "<p>Hi {profile.firstName}, use <b>{data.code}</b></p>");
        saveWelcome("de", "Willkommen {profile.firstName}", "Hallo {profile.firstName}, Code {data.code}",
                "<p>Hallo {profile.firstName}, Code <b>{data.code}</b></p>");
        UUID profileId = Fixtures.profile(kafka, "kai@example.com", null, null,
                Map.of("firstName", "<i>Kai</i>", "locale", "de-AT"));

        given().contentType("application/json")
                .body("{\"profileId\":\"%s\",\"data\":{\"code\":\"HALLO5\"}}".formatted(profileId))
                .post("/api/templates/welcome/email/preview")
                .then().statusCode(200)
                .body("locale", is("de"))
                .body("subject", is("Willkommen <i>Kai</i>"))
                .body("text", is("Hallo <i>Kai</i>, Code HALLO5"))
                .body("html", is("<p>Hallo &lt;i&gt;Kai&lt;/i&gt;, Code <b>HALLO5</b></p>"));
    }

    @Test
    void previewFallsBackToTheDefaultLocaleAndNamesMissingValues() {
        saveWelcome("en", "Welcome {profile.firstName.or('friend')}", "Use {data.code}", null);
        given().contentType("application/json").body("{\"locale\":\"fr-FR\",\"data\":{\"code\":\"X1\"}}")
                .post("/api/templates/welcome/email/preview")
                .then().statusCode(200).body("locale", is("en")).body("subject", is("Welcome friend"));
        given().contentType("application/json").body("{\"locale\":\"en\"}")
                .post("/api/templates/welcome/email/preview")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void savedTemplateIsUsedByTheNextSend() throws Exception {
        given().contentType("application/json").body("""
                        {"subject":"Ready: {data.orderId}","text":"Collect {data.orderId} at {data.storeName}.",
                         "html":"<p>Collect <b>{data.orderId}</b> at {data.storeName}.</p>"}
                        """)
                .put("/api/templates/pickup-ready/email/en").then().statusCode(200);
        String email = "lea." + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, null, null, Map.of());

        send(profileId, "pickup-ready", Map.of("orderId", "A-61", "storeName", "Dresden"));

        MimeMessage received = awaitMail(email);
        assertThat(received.getSubject()).isEqualTo("Ready: A-61");
        assertThat(html(received)).contains("Collect <b>A-61</b> at Dresden.");
    }

    @Test
    void openPixelAndSignedClickAreRecordedAndPublished() throws Exception {
        String email = "max." + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, null, null, Map.of("firstName", "Max"));
        String id = send(profileId, "order-confirmation", Map.of("orderId", "A-71", "total", "5 EUR"));
        String html = html(awaitMail(email));
        String click = first(CLICK, html).replace("&amp;", "&");
        String pixel = first(PIXEL, html).replace("&amp;", "&");

        given().urlEncodingEnabled(false).redirects().follow(false).get(URI.create(pixel).getRawPath() + "?" + URI.create(pixel).getRawQuery())
                .then().statusCode(200).contentType("image/gif");
        given().get("/api/messages/" + id).then().body("status", is("OPENED")).body("openedAt", notNullValue());

        given().urlEncodingEnabled(false).redirects().follow(false).get(pathAndQuery(click))
                .then().statusCode(302).header("Location", is("https://shop.omni.local/orders/A-71"));
        given().get("/api/messages/" + id).then().body("status", is("CLICKED")).body("clickedAt", notNullValue());

        var clicked = Fixtures.messageEvent(kafka, id, e -> e.type().equals(EventType.MESSAGE_CLICKED.type()));
        assertThat(((MessageStatusChanged) clicked.data()).url()).isEqualTo("https://shop.omni.local/orders/A-71");
        Fixtures.messageEvent(kafka, id, e -> e.type().equals(EventType.MESSAGE_OPENED.type()));
    }

    @Test
    void tamperedTrackingLinksAreRefused() throws Exception {
        String email = "ned." + UUID.randomUUID() + "@example.com";
        UUID profileId = Fixtures.profile(kafka, email, null, null, Map.of());
        String id = send(profileId, "order-confirmation", Map.of("orderId", "A-81", "total", "7 EUR"));
        String click = pathAndQuery(first(CLICK, html(awaitMail(email))).replace("&amp;", "&"));
        String signature = click.substring(click.indexOf("&s=") + 3);

        String otherTarget = click.replace(URLEncoder.encode("https://shop.omni.local/orders/A-81", StandardCharsets.UTF_8),
                URLEncoder.encode("https://evil.example/phish", StandardCharsets.UTF_8));
        assertThat(otherTarget).isNotEqualTo(click);
        given().urlEncodingEnabled(false).redirects().follow(false).get(otherTarget).then().statusCode(403)
                .contentType("application/problem+json").header("Location", nullValue());
        given().urlEncodingEnabled(false).redirects().follow(false).get(click.replace(signature, "AAAA" + signature.substring(4)))
                .then().statusCode(403);
        given().urlEncodingEnabled(false).redirects().follow(false).get(click.replace(id, UUID.randomUUID().toString()))
                .then().statusCode(403);
        given().urlEncodingEnabled(false).redirects().follow(false).get("/t/o/" + id + "?s=" + signature).then().statusCode(403);

        given().get("/api/messages/" + id).then().body("status", is("SENT")).body("clickedAt", nullValue());
    }

    private static void saveWelcome(String locale, String subject, String text, String html) {
        String body = html == null
                ? "{\"subject\":\"%s\",\"text\":\"%s\"}".formatted(subject, text)
                : "{\"subject\":\"%s\",\"text\":\"%s\",\"html\":\"%s\"}".formatted(subject, text, html);
        given().contentType("application/json").body(body).put("/api/templates/welcome/email/" + locale)
                .then().statusCode(200).body("locale", is(locale)).body("text", not(containsString("\\")));
    }

    private static String send(UUID profileId, String template, Map<String, String> variables) {
        String json = variables.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .reduce((a, b) -> a + "," + b).orElse("");
        return given().contentType("application/json").body("""
                        {"profileId":"%s","channel":"email","template":"%s","variables":{%s}}
                        """.formatted(profileId, template, json))
                .post("/api/messages").then().statusCode(201).body("status", is("SENT")).extract().path("id");
    }

    private MimeMessage awaitMail(String address) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> Arrays.stream(mail.getReceivedMessages())
                .filter(m -> {
                    try {
                        return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).findFirst().orElse(null), m -> m != null);
    }

    private static String html(MimeMessage message) throws Exception {
        String html = html((Multipart) message.getContent());
        assertThat(html).as("HTML part").isNotNull();
        return html;
    }

    private static String html(Multipart multipart) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.getContent() instanceof Multipart nested) {
                String found = html(nested);
                if (found != null) {
                    return found;
                }
            } else if (part.isMimeType("text/html")) {
                return (String) part.getContent();
            }
        }
        return null;
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(pattern + " in " + text).isTrue();
        return matcher.group(1);
    }

    private static String pathAndQuery(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }
}
