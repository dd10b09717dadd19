package dev.omni.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omni.testing.ProviderStub;
import dev.omni.testing.Suite;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * The omnichannel stories of issue #8 end to end, on ONE suite started once ({@link SharedSuite}, a {@link Suite}: Kafka, Keycloak with the
 * launcher's realm, PostgreSQL, the four services and the gateway as packaged processes, an SMTP sink and the SMS/push
 * provider stub), driven only through the gateway with real tokens of the realm: the shop's backend
 * ({@code storefront-web}), the customer Anna in the app ({@code storefront-app}, her password login), the POS
 * ({@code partner-pos}), the ad network ({@code partner-ads}) and back-office agents ({@code omni-admin}).
 *
 * <p>The scenarios build on each other in order (one customer's story): her cart follows her from the web into the
 * app; she abandons it (push, email, SMS) and an order stops the next reminder; she reserves her size at the nearest
 * store, a till sale takes the stock and the reservation moves, and she is told; attribution credits the ad click,
 * the email click and the store visit that led to her till purchase under every model; an agent's call-centre contact
 * is on the timeline the next agent reads; her erasure reaches every service within 5 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedSuite.class)
class OmnichannelStoriesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration EVENTUALLY = Duration.ofSeconds(90);

    private static final String PRODUCT = "SNK-RUNNER";
    private static final String SNEAKER = "SNK-RUNNER-42-WHT";
    private static final String STORE = "store-berlin-mitte";
    /** Alexanderplatz: where Anna stands when she asks for her size nearby. */
    private static final String NEAR_ANNA = "52.5219,13.4132";
    private static final String ANNA = "anna@example.com";
    private static final String ANNA_PASSWORD = "anna";
    private static final String PHONE = "+4916012345678";
    private static final String PUSH_TOKEN = "fcm-anna-" + UUID.randomUUID();
    private static final String WEB_ID = "web-" + UUID.randomUUID();
    private static final String APP_ID = "app-" + UUID.randomUUID();
    private static final Pattern CLICK_LINK = Pattern.compile("https?://[^\\s\"<>]+/api/tracking/c/[^\\s\"<>]+");

    private static Suite suite;
    private static String profileId;
    private static String reminderClickLink;
    private static String reservationId;
    private static String reallocatedTo;

    @BeforeAll
    static void startTheSuite() throws Exception {
        suite = SharedSuite.suite();
        seedTheCatalogue();
        installTheJourneys();
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void anAnonymousWebVisitorsCartIsInTheAppOnceSheLogsIn() throws Exception {
        String shop = suite.clientToken("storefront-web");

        JsonNode visit = ok(post("/api/events", shop, """
                [{"type":"page","channel":"web","messageId":"%1$s-1","identifiers":{"anonymousId":"%1$s"},
                  "properties":{"path":"/sneakers/runner"}},
                 {"type":"track","event":"product_viewed","channel":"web","messageId":"%1$s-2",
                  "identifiers":{"anonymousId":"%1$s"},"properties":{"sku":"%2$s"}}]""".formatted(WEB_ID, SNEAKER)),
                202);
        String webProfile = visit.at("/results/0/profileId").asText();
        assertThat(webProfile).isNotBlank();
        assertThat(visit.at("/results/1/profileId").asText()).isEqualTo(webProfile);

        // the shop's backend keeps the anonymous cart on the visitor's profile
        JsonNode cart = ok(put("/api/profiles/" + webProfile + "/cart/" + SNEAKER, shop,
                "{\"quantity\":1,\"channel\":\"web\"}"), 200);
        assertThat(skus(cart.get("cart"))).containsExactly(SNEAKER);
        ok(post("/api/events", shop, """
                {"type":"track","event":"cart_item_added","channel":"web","messageId":"%1$s-3",
                 "identifiers":{"anonymousId":"%1$s"},"properties":{"sku":"%2$s","quantity":1}}"""
                .formatted(WEB_ID, SNEAKER)), 202);
        // "save my cart": she leaves her e-mail address on the web, still without an account
        JsonNode saved = ok(post("/api/events", shop, """
                {"type":"identify","channel":"web","messageId":"%1$s-4",
                 "identifiers":{"anonymousId":"%1$s","email":"%2$s"}}""".formatted(WEB_ID, ANNA)), 202);
        assertThat(saved.at("/results/0/profileId").asText()).isEqualTo(webProfile);

        // later, in the app: browsing before the login is another anonymous profile
        JsonNode appVisit = ok(post("/api/events", shop, """
                {"type":"track","event":"app_opened","channel":"app","messageId":"%1$s-1",
                 "identifiers":{"anonymousId":"%1$s"}}""".formatted(APP_ID)), 202);
        String appProfile = appVisit.at("/results/0/profileId").asText();
        assertThat(appProfile).isNotBlank().isNotEqualTo(webProfile);

        // she logs in: the app holds her token and tells who she is, with the device's push token
        String anna = suite.customerToken(ANNA, ANNA_PASSWORD);
        JsonNode login = ok(post("/api/events", anna, """
                {"type":"identify","channel":"app","messageId":"%1$s-2",
                 "identifiers":{"anonymousId":"%1$s","userId":"u-anna","email":"%2$s","phone":"%3$s","pushToken":"%4$s"},
                 "traits":{"firstName":"Anna","lastName":"Berg"}}""".formatted(APP_ID, ANNA, PHONE, PUSH_TOKEN)), 202);
        assertThat(login.at("/results/0/status").asText()).isEqualTo("ACCEPTED");
        assertThat(login.at("/results/0/profileId").asText()).as("the older, web profile survives").isEqualTo(webProfile);
        assertThat(texts(login.at("/results/0/mergedProfileIds"))).containsExactly(appProfile);
        profileId = webProfile;

        // one profile: the app's 360 of her is the web visitor's, with her cart
        JsonNode me = ok(get("/api/me", anna), 200);
        assertThat(me.get("profileId").asText()).isEqualTo(profileId);
        assertThat(me.get("unavailable")).isEmpty();
        Set<String> identifiers = new HashSet<>();
        me.at("/profile/identifiers").forEach(i -> identifiers.add(i.get("type").asText() + "=" + i.get("value").asText()));
        assertThat(identifiers).contains("anonymousId=" + WEB_ID, "anonymousId=" + APP_ID, "email=" + ANNA,
                "userId=u-anna", "phone=" + PHONE, "pushToken=" + PUSH_TOKEN);
        assertThat(texts(me.at("/profile/mergedProfileIds"))).containsExactly(appProfile);
        JsonNode inTheApp = ok(get("/api/me/cart", anna), 200);
        assertThat(inTheApp.get("lines")).hasSize(1);
        assertThat(inTheApp.at("/lines/0/sku").asText()).isEqualTo(SNEAKER);
        assertThat(inTheApp.at("/lines/0/quantity").asInt()).isEqualTo(1);
        assertThat(inTheApp.at("/lines/0/channel").asText()).as("put there on the web").isEqualTo("web");
        JsonNode byAppId = ok(get("/api/profiles?identifierType=anonymousId&identifier=" + APP_ID, admin()), 200);
        assertThat(byAppId.get("id").asText()).isEqualTo(profileId);

        // she allows marketing on the three channels in the app
        for (String channel : List.of("push", "email", "sms")) {
            ok(post("/api/me/consents", anna, """
                    {"channel":"%s","purpose":"marketing","status":"granted","sourceChannel":"app"}"""
                    .formatted(channel)), 201);
        }
    }

    @Test
    @Order(2)
    void theAbandonedCartGetsAPushThenAnEmailThenAnSmsWithACodeAndAnOrderStopsTheJourney() throws Exception {
        String anna = suite.customerToken(ANNA, ANNA_PASSWORD);
        // messaging learns her contact points and consents from omni.profiles
        JsonNode contact = poll("messaging knows Anna's contact points and consents", EVENTUALLY,
                () -> get("/api/contacts/" + profileId, admin()),
                a -> a.status() == 200 && a.json().path("email").asText().equals(ANNA)
                        && a.json().path("phone").asText().equals(PHONE) && a.json().path("pushToken").asBoolean()
                        && marketingGranted(a.json()).containsAll(List.of("push", "email", "sms"))).json();
        assertThat(contact.get("erased").asBoolean()).isFalse();
        installTheCartJourney();

        Instant added = Instant.now();
        ok(post("/api/events", anna, """
                {"type":"track","event":"cart_item_added","channel":"app","messageId":"anna-cart-1",
                 "identifiers":{"userId":"u-anna"},"properties":{"sku":"%s","quantity":1}}""".formatted(SNEAKER)), 202);

        // 1. the push, in FCM HTTP v1's shape, to her device
        ProviderStub.Request push = poll("the push reached the FCM stub", EVENTUALLY,
                () -> suite.providers().requests("push", PUSH_TOKEN), found -> found.size() == 1).get(0);
        assertThat(push.method()).isEqualTo("POST");
        assertThat(push.path()).isEqualTo("/push/v1/projects/" + ProviderStub.FCM_PROJECT + "/messages:send");
        assertThat(push.header("Authorization")).isEqualTo("Bearer fcm-e2e-access-token");
        JsonNode fcm = JSON.readTree(push.body());
        assertThat(fcm.at("/message/token").asText()).isEqualTo(PUSH_TOKEN);
        assertThat(fcm.at("/message/notification/title").asText()).isEqualTo("Still thinking about it?");
        assertThat(fcm.at("/message/notification/body").asText()).isEqualTo("Anna, your cart is waiting: " + SNEAKER + ".");
        assertThat(fcm.at("/message/data/omniMessageId").asText()).isNotBlank();
        assertThat(suite.mailsTo(ANNA)).as("no email while the push may still be read").isEmpty();

        // 2. the push stays unread: the email, in the SMTP sink
        MimeMessage reminder = poll("the reminder email reached the SMTP sink", EVENTUALLY,
                () -> suite.mailsTo(ANNA), found -> found.size() == 1).get(0);
        assertThat(reminder.getSubject()).isEqualTo("You left something in your cart");
        String text = textOf(reminder);
        assertThat(text).contains("Hello Anna,").contains("you left " + SNEAKER + " in your cart.");
        Matcher link = CLICK_LINK.matcher(text);
        assertThat(link.find()).as("a tracked link to her cart in: " + text).isTrue();
        reminderClickLink = link.group();
        assertThat(smsTo(PHONE)).as("no SMS while the email may still be clicked").isEmpty();

        // 3. the email stays unclicked: the SMS with the discount code, in Twilio's shape
        ProviderStub.Request sms = poll("the SMS reached the Twilio stub", EVENTUALLY, () -> smsTo(PHONE),
                found -> found.size() == 1).get(0);
        assertThat(sms.path()).isEqualTo("/sms/2010-04-01/Accounts/" + ProviderStub.TWILIO_ACCOUNT + "/Messages.json");
        assertThat(sms.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                (ProviderStub.TWILIO_ACCOUNT + ":twilio-e2e-token").getBytes(StandardCharsets.UTF_8)));
        assertThat(sms.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(sms.form().get("From")).isEqualTo("+15550000001");
        assertThat(sms.form().get("Body")).startsWith("Omni: still want " + SNEAKER + "? Use code COMEBACK10 for 10% off: ");

        JsonNode firstRun = poll("the first run completed", EVENTUALLY, () -> runs(), r -> r.size() == 1
                && r.get(0).get("status").asText().equals("COMPLETED")).get(0);
        assertThat(firstRun.get("journeyId").asText()).isEqualTo("cart-abandonment");
        JsonNode messages = poll("the three messages are SENT", EVENTUALLY, () -> messages(),
                m -> m.size() == 3 && allSent(m));
        List<String> steps = new ArrayList<>();
        messages.forEach(m -> steps.add(m.get("stepId").asText() + ":" + m.get("channel").asText()));
        assertThat(steps).containsExactlyInAnyOrder("push-reminder:push", "email-reminder:email", "sms-discount:sms");
        Instant pushSent = Instant.parse(find(messages, "stepId", "push-reminder").get("sentAt").asText());
        Instant emailSent = Instant.parse(find(messages, "stepId", "email-reminder").get("sentAt").asText());
        Instant smsSent = Instant.parse(find(messages, "stepId", "sms-discount").get("sentAt").asText());
        assertThat(pushSent).isAfter(added.minusSeconds(1)).isBefore(emailSent);
        assertThat(emailSent).isBefore(smsSent);

        // Twilio reports the SMS delivered at the callback messaging gave it: the gateway's public webhook route,
        // signed (HMAC-SHA1 over that URL and the sorted form) as Twilio signs it
        String callback = sms.form().get("StatusCallback");
        assertThat(callback).isEqualTo(suite.gatewayUrl() + "/api/webhooks/twilio-stub");
        String sid = find(messages, "stepId", "sms-discount").get("providerMessageId").asText();
        HttpResponse<String> receipt = HTTP.send(HttpRequest.newBuilder(URI.create(callback))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", twilioSignature("twilio-e2e-token", callback,
                        Map.of("MessageSid", sid, "MessageStatus", "delivered")))
                .POST(HttpRequest.BodyPublishers.ofString("MessageSid=" + sid + "&MessageStatus=delivered"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(receipt.statusCode()).as("receipt: " + receipt.body()).isEqualTo(200);
        poll("the SMS is DELIVERED", EVENTUALLY, () -> messages(),
                m -> find(m, "stepId", "sms-discount").get("status").asText().equals("DELIVERED"));

        // an order stops the journey: she adds again (a new run), the push comes, then she orders in the app
        ok(post("/api/events", anna, """
                {"type":"track","event":"cart_item_added","channel":"app","messageId":"anna-cart-2",
                 "identifiers":{"userId":"u-anna"},"properties":{"sku":"%s","quantity":1}}""".formatted(SNEAKER)), 202);
        poll("the second push reached the FCM stub", EVENTUALLY, () -> suite.providers().requests("push", PUSH_TOKEN),
                found -> found.size() == 2);
        ok(post("/api/events", anna, """
                {"type":"track","event":"order_completed","channel":"app","messageId":"anna-order-A-1001",
                 "identifiers":{"userId":"u-anna"},"value":89.90,"currency":"EUR",
                 "properties":{"orderId":"A-1001","sku":"%s"}}""".formatted(SNEAKER)), 202);
        JsonNode secondRun = poll("the order ended the second run", EVENTUALLY, () -> runs(),
                r -> r.size() == 2 && r.toString().contains("\"EXITED\""));
        JsonNode exited = find(secondRun, "status", "EXITED");
        assertThat(exited.get("currentStep").asText()).isEqualTo("push-unread");
        // its fallback would have sent the email PUSH_UNREAD after the push: nothing comes after that moment
        Instant secondPush = Instant.parse(find(poll("the second push is SENT", EVENTUALLY, () -> messages(),
                m -> m.size() == 4 && allSent(m)), "sentAt", null, "push-reminder").get("sentAt").asText());
        sleepUntil(secondPush.plus(PUSH_UNREAD).plusSeconds(4));
        assertThat(messages()).as("no email after the order").hasSize(4);
        assertThat(suite.mailsTo(ANNA)).hasSize(1);
        assertThat(smsTo(PHONE)).hasSize(1);
        assertThat(suite.providers().requests("push", PUSH_TOKEN)).hasSize(2);
    }

    @Test
    @Order(3)
    void herSizeAtHerNearestStoreIsReservedAndMovedWhenATillSaleTakesTheStock() throws Exception {
        String anna = suite.customerToken(ANNA, ANNA_PASSWORD);
        String shop = suite.clientToken("storefront-web");
        String pos = suite.clientToken("partner-pos");

        // in my size, near me: the nearest store with her size
        JsonNode availability = ok(get("/api/products/" + PRODUCT + "/availability?near=" + NEAR_ANNA + "&radiusKm=10",
                anna), 200);
        assertThat(availability.get("unavailable")).isEmpty();
        JsonNode nearest = availability.at("/nearbyStores/stores/0");
        assertThat(nearest.get("locationId").asText()).isEqualTo(STORE);
        int inStore = sizeAt(nearest, SNEAKER);
        assertThat(inStore).as(SNEAKER + " at " + STORE).isEqualTo(seededOnHand(SNEAKER, STORE));
        for (JsonNode size : availability.get("skus")) {
            if (size.get("sku").asText().equals(SNEAKER)) {
                assertThat(available(size.get("locations"), STORE)).as("the gateway's cache agrees").isEqualTo(inStore);
            }
        }

        // reserve for pickup there; she lets the shop move it to another store if it must
        JsonNode reservation = ok(send("POST", "/api/reservations", shop, """
                {"profileId":"%s","channel":"click_and_collect","pickupLocationId":"%s","allowReallocation":true,
                 "reallocationRadiusKm":200,"lines":[{"sku":"%s","locationId":"%s","quantity":1}]}"""
                .formatted(profileId, STORE, SNEAKER, STORE), Map.of("Idempotency-Key", "anna-pickup-1")), 201);
        reservationId = reservation.get("id").asText();
        assertThat(reservation.get("status").asText()).isEqualTo("ACTIVE");
        JsonNode mine = ok(get("/api/me/reservations", anna), 200);
        assertThat(mine).hasSize(1);
        assertThat(mine.at("/0/id").asText()).isEqualTo(reservationId);

        // where it would go: the nearest other pickup store with the size, within her 200 km
        JsonNode around = ok(get("/api/availability?sku=" + SNEAKER + "&near=52.5246,13.402&radiusKm=200&inStockOnly=true",
                shop), 200);
        String expectedStore = null;
        for (JsonNode store : around.get("stores")) {
            if (!store.get("locationId").asText().equals(STORE) && store.get("available").asInt() >= 1) {
                expectedStore = store.get("locationId").asText();
                break;
            }
        }
        assertThat(expectedStore).as("a second store within 200 km has the size").isNotNull();

        // the till in that store sells every unit on the shelf, as the reservation holds one of them
        int onHand = ok(get("/api/stock/" + SNEAKER + "/" + STORE, pos), 200).get("onHand").asInt();
        ok(post("/api/partners/stock-movements", pos, """
                [{"movementId":"pos-berlin-%s","kind":"SALE","sku":"%s","locationId":"%s","quantity":%d}]"""
                .formatted(UUID.randomUUID(), SNEAKER, STORE, onHand)), 202);

        String target = expectedStore;
        JsonNode moved = poll("the reservation was reallocated", EVENTUALLY,
                () -> get("/api/reservations/" + reservationId, shop),
                a -> a.status() == 200 && a.json().at("/lines/0/locationId").asText().equals(target)).json();
        reallocatedTo = target;
        assertThat(moved.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(moved.get("atRisk").asBoolean()).isFalse();
        assertThat(moved.get("lines")).hasSize(1);
        assertThat(moved.at("/lines/0/quantity").asInt()).isEqualTo(1);
        JsonNode berlin = ok(get("/api/stock/" + SNEAKER + "/" + STORE, pos), 200);
        assertThat(berlin.get("onHand").asInt()).isZero();
        assertThat(berlin.get("reserved").asInt()).as("the reservation left the emptied store").isZero();
        assertThat(ok(get("/api/stock/" + SNEAKER + "/" + target, pos), 200).get("reserved").asInt()).isEqualTo(1);

        // she is told where to pick it up now
        MimeMessage told = poll("Anna was told", EVENTUALLY, () -> suite.mailsTo(ANNA), m -> m.size() == 2).get(1);
        assertThat(told.getSubject()).isEqualTo("Your reservation " + reservationId + " moved to " + target);
        assertThat(textOf(told)).contains("Hello Anna,").contains(STORE + " sold out").contains("pick it up at " + target);
        JsonNode transactional = find(messages(), "templateId", "reservation-moved");
        assertThat(transactional.get("channel").asText()).isEqualTo("email");
        assertThat(transactional.get("purpose").asText()).isEqualTo("transactional");
        assertThat(transactional.get("journeyId").asText()).isEqualTo("reservation-moved");
    }

    @Test
    @Order(4)
    void attributionCreditsTheAdClickTheEmailClickAndTheStoreVisitUnderEachModel() throws Exception {
        String shop = suite.clientToken("storefront-web");
        String pos = suite.clientToken("partner-pos");
        String ads = suite.clientToken("partner-ads");
        Instant from = Instant.now();
        int touchesBefore = ok(get("/api/attribution/touchpoints?profileId=" + profileId, ads), 200).size();

        // an ad click brings her to the shop
        ok(post("/api/events", shop, """
                {"type":"page","channel":"web","messageId":"%1$s-ad","identifiers":{"anonymousId":"%1$s"},
                 "properties":{"path":"/sneakers/runner","utm_source":"google","utm_medium":"cpc",
                               "utm_campaign":"runner-spring","cost":"0.80"}}""".formatted(WEB_ID)), 202);
        awaitTouches(ads, touchesBefore + 1);
        // she clicks the link in the reminder email: it leads to the gateway's public tracking route (no token)
        assertThat(reminderClickLink).startsWith(suite.gatewayUrl() + "/api/tracking/c/");
        HttpResponse<String> click = HTTP.send(HttpRequest.newBuilder(URI.create(reminderClickLink))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(click.statusCode()).as("click redirect: " + click.body()).isEqualTo(302);
        assertThat(click.headers().firstValue("Location")).contains("https://shop.omni.local/cart");
        awaitTouches(ads, touchesBefore + 2);
        // she walks into the store; the till sells her the sneaker
        ok(post("/api/events", pos, """
                {"type":"track","event":"store_visit","channel":"store","messageId":"anna-visit-1",
                 "identifiers":{"phone":"%s"},"properties":{"locationId":"%s"}}""".formatted(PHONE, reallocatedTo)), 202);
        awaitTouches(ads, touchesBefore + 3);
        ok(post("/api/events", pos, """
                {"type":"track","event":"order_completed","channel":"store","messageId":"anna-till-1",
                 "identifiers":{"phone":"%s"},"value":119.95,"currency":"EUR",
                 "properties":{"orderId":"POS-7001","locationId":"%s","sku":"%s"}}"""
                .formatted(PHONE, reallocatedTo, SNEAKER)), 202);

        List<String> models = List.of("first", "last", "last-non-direct", "linear", "position-based", "time-decay",
                "markov", "shapley");
        String path = "/api/attribution/reports/comparison?models=" + String.join(",", models) + "&from="
                + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8);
        JsonNode report = poll("the till purchase is in the attribution report", EVENTUALLY, () -> get(path, ads),
                a -> a.status() == 200 && a.json().path("conversions").asDouble() == 1.0).json();
        assertThat(report.get("journeys").asInt()).as("her one journey of the window").isEqualTo(1);
        assertThat(report.get("value").asDouble()).isCloseTo(119.95, within(1e-9));
        Map<String, JsonNode> rows = new HashMap<>();
        report.get("rows").forEach(r -> rows.put(r.get("key").asText(), r.get("credits")));
        assertThat(rows.keySet()).containsExactlyInAnyOrder("web", "email", "store");

        // what attribution recorded of her in this story: the ad click, the email click, the visit and the sale
        JsonNode touches = ok(get("/api/attribution/touchpoints?profileId=" + profileId, ads), 200);
        List<String> recent = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (JsonNode t : touches) {
            Instant at = Instant.parse(t.get("occurredAt").asText());
            if (!at.isBefore(from)) {
                recent.add(t.get("channel").asText() + "/" + orEmpty(t.path("source")) + "/"
                        + orEmpty(t.path("medium")));
                times.add(at);
            }
        }
        assertThat(recent).containsExactly("web/google/cpc", "email/omni-messaging/email", "store//", "store//");
        JsonNode conversions = ok(get("/api/attribution/conversions?profileId=" + profileId, ads), 200);
        JsonNode sale = find(conversions, "event", "order_completed", "channel", "store");
        assertThat(sale.get("value").decimalValue()).isEqualByComparingTo("119.95");
        Instant converted = Instant.parse(sale.get("occurredAt").asText());

        // the report rounds to 6 decimals; each model's share of the journey web > email > store, and of its value
        double third = 1.0 / 3;
        Map<String, double[]> expected = new HashMap<>(Map.of(
                "first", new double[] {1, 0, 0},
                "last", new double[] {0, 0, 1},
                "last-non-direct", new double[] {0, 0, 1},
                "linear", new double[] {third, third, third},
                "position-based", new double[] {0.4, 0.2, 0.4},
                "markov", new double[] {third, third, third},
                "shapley", new double[] {third, third, third}));
        // time-decay, half-life 7 days: 2^(-age/h) by the age of each touch at the sale (a visit's merged store
        // touches keep the age of the latest, the sale itself)
        double halfLife = Duration.ofDays(7).toSeconds();
        double[] ages = {seconds(times.get(0), converted), seconds(times.get(1), converted),
                seconds(times.get(3), converted)};
        double[] weights = new double[3];
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            weights[i] = Math.pow(2, -ages[i] / halfLife);
            sum += weights[i];
        }
        for (int i = 0; i < 3; i++) {
            weights[i] /= sum;
        }
        expected.put("time-decay", weights);
        List<String> keys = List.of("web", "email", "store");
        for (Map.Entry<String, double[]> model : expected.entrySet()) {
            for (int i = 0; i < keys.size(); i++) {
                JsonNode share = rows.get(keys.get(i)).get(model.getKey());
                assertThat(share.get("conversions").asDouble()).as(model.getKey() + " " + keys.get(i))
                        .isCloseTo(round6(model.getValue()[i]), within(1.01e-6));
                assertThat(share.get("value").asDouble()).as(model.getKey() + " value " + keys.get(i))
                        .isCloseTo(round6(model.getValue()[i] * 119.95), within(1.01e-6));
            }
        }
    }

    @Test
    @Order(5)
    void aCallCentreContactIsOnTheTimelineTheNextAgentReads() throws Exception {
        String agentOne = suite.clientToken("omni-admin");
        JsonNode opened = ok(send("POST", "/api/profiles/" + profileId + "/support-contacts", agentOne, """
                {"channel":"call_centre","topic":"Where do I pick up my reservation?","status":"open",
                 "note":"Told her the sneaker waits at %s.","agent":"agent-17"}""".formatted(reallocatedTo),
                Map.of("Idempotency-Key", "call-anna-1")), 201);
        String contactId = opened.get("id").asText();

        // the next agent, with a token of their own, reads her timeline
        String agentTwo = suite.clientToken("omni-admin");
        JsonNode timeline = ok(get("/api/profiles/" + profileId + "/timeline?kind=support", agentTwo), 200);
        assertThat(timeline).hasSize(1);
        JsonNode entry = timeline.get(0);
        assertThat(entry.get("kind").asText()).isEqualTo("support");
        assertThat(entry.get("channel").asText()).isEqualTo("call_centre");
        assertThat(entry.at("/details/contactId").asText()).isEqualTo(contactId);
        assertThat(entry.at("/details/topic").asText()).isEqualTo("Where do I pick up my reservation?");
        assertThat(entry.at("/details/note").asText()).isEqualTo("Told her the sneaker waits at " + reallocatedTo + ".");
        assertThat(entry.at("/details/agent").asText()).isEqualTo("agent-17");
        JsonNode view = ok(get("/api/profiles/" + profileId, agentTwo), 200);
        assertThat(view.get("timeline").get(0).get("kind").asText()).as("newest first in the 360").isEqualTo("support");
        JsonNode contacts = ok(get("/api/profiles/" + profileId + "/support-contacts", agentTwo), 200);
        assertThat(contacts).hasSize(1);
        assertThat(contacts.at("/0/id").asText()).isEqualTo(contactId);
    }

    @Test
    @Order(6)
    void erasureTakesHerOutOfEveryServiceWithinFiveSeconds() throws Exception {
        String admin = admin();
        String shop = suite.clientToken("storefront-web");
        String ads = suite.clientToken("partner-ads");
        assertThat(ok(get("/api/attribution/touchpoints?profileId=" + profileId, ads), 200)).isNotEmpty();
        assertThat(ok(get("/api/reservations?profileId=" + profileId, shop), 200)).hasSize(1);

        Answer erased = send("DELETE", "/api/profiles/" + profileId, admin, null, Map.of());
        Instant at = Instant.now();
        assertThat(erased.status()).as(erased.body()).isEqualTo(204);

        poll("profile-service answers 410 and knows her e-mail no more", Duration.ofSeconds(5),
                () -> List.of(get("/api/profiles/" + profileId, admin).status(),
                        get("/api/profiles?identifierType=email&identifier=" + ANNA, admin).status()),
                s -> s.equals(List.of(410, 404)));
        JsonNode contact = poll("messaging erased her contact points", Duration.ofSeconds(5),
                () -> get("/api/contacts/" + profileId, admin), a -> a.status() == 200
                        && a.json().path("erased").asBoolean()).json();
        assertThat(contact.get("email").isNull()).isTrue();
        assertThat(contact.get("phone").isNull()).isTrue();
        assertThat(contact.get("pushToken").asBoolean()).isFalse();
        assertThat(contact.get("consents")).isEmpty();
        poll("inventory no longer links a reservation to her", Duration.ofSeconds(5),
                () -> get("/api/reservations?profileId=" + profileId, shop),
                a -> a.status() == 200 && a.json().isEmpty());
        JsonNode reservation = ok(get("/api/reservations/" + reservationId, shop), 200);
        assertThat(reservation.get("profileId").isNull()).as("anonymised, still holding its unit").isTrue();
        assertThat(reservation.get("status").asText()).isEqualTo("ACTIVE");
        poll("attribution holds no touch or conversion of her", Duration.ofSeconds(5),
                () -> List.of(get("/api/attribution/touchpoints?profileId=" + profileId, ads).json().size(),
                        get("/api/attribution/conversions?profileId=" + profileId, ads).json().size()),
                sizes -> sizes.equals(List.of(0, 0)));
        assertThat(Duration.between(at, Instant.now())).isLessThan(Duration.ofSeconds(5));
    }

    // --- the stack's data ------------------------------------------------------------------------------------------

    /** Shortened waits of the shipped cart journey: 1 h → 2 s, 4 h → PUSH_UNREAD, 1 d → 6 s. */
    private static final Duration PUSH_UNREAD = Duration.ofSeconds(8);

    /** The launcher's catalogue and stock (not its demo interactions: attribution sees only these stories). */
    private static void seedTheCatalogue() throws Exception {
        String admin = admin();
        Path demo = suite.root().resolve("launcher/demo");
        for (String line : lines(demo.resolve("locations.ndjson"))) {
            ok(post("/api/locations", admin, line), 201);
        }
        for (String line : lines(demo.resolve("skus.ndjson"))) {
            ok(post("/api/skus", admin, line), 201);
        }
        List<String> movements = lines(demo.resolve("stock-movements.ndjson"));
        for (int from = 0; from < movements.size(); from += 100) {
            ArrayNode batch = JSON.createArrayNode();
            for (String line : movements.subList(from, Math.min(movements.size(), from + 100))) {
                batch.add(JSON.readTree(line));
            }
            ok(post("/api/stock-movements", admin, batch.toString()), 200);
        }
        // the gateway's availability comes from omni.availability: wait until the seeded stock arrived there
        int expected = seededOnHand(SNEAKER, STORE);
        poll("the gateway's cache has the seeded stock", EVENTUALLY,
                () -> get("/api/products/" + PRODUCT + "/availability", admin),
                a -> a.status() == 200 && a.json().path("skus").findParents("sku").stream()
                        .anyMatch(s -> s.path("sku").asText().equals(SNEAKER)
                                && available(s.path("locations"), STORE) == expected));
    }

    /** The journey that tells a customer where her reservation went, and its e-mail. */
    private static void installTheJourneys() throws Exception {
        String admin = admin();
        ok(put("/api/templates/reservation-moved/email/en", admin, """
                {"subject":"Your reservation {event.reservationId} moved to {event.toLocationId}",
                 "text":"Hello {profile.firstName.or('there')},\\n\\n{event.fromLocationId} sold out, so we moved your reservation: pick it up at {event.toLocationId}.\\n\\nOmni",
                 "html":"<html><body><p>Hello {profile.firstName.or('there')},</p><p>{event.fromLocationId} sold out, so we moved your reservation: pick it up at {event.toLocationId}.</p></body></html>"}"""),
                200, 201);
        ok(post("/api/journeys", admin, """
                {"id":"reservation-moved","name":"Tell the customer where her reservation went",
                 "purpose":"transactional","trigger":{"type":"reservation-reallocated"},
                 "steps":[{"id":"tell","type":"send","channel":"email","template":"reservation-moved"}]}"""), 201);
    }

    /**
     * The shipped cart journey with its waits shortened, installed once Anna is known (installed earlier, her
     * anonymous web cart would already have started a run that could reach no one).
     */
    private static void installTheCartJourney() throws Exception {
        String admin = admin();
        ObjectNode cart = (ObjectNode) JSON.readTree(suite.root()
                .resolve("messaging-service/src/main/resources/journeys/cart-abandonment.json").toFile());
        cart.withArray("steps").forEach(step -> {
            ObjectNode s = (ObjectNode) step;
            if (s.has("duration")) {
                s.put("duration", "PT2S");
            }
            if (s.has("after")) {
                s.put("after", "push-unread".equals(s.get("id").asText()) ? PUSH_UNREAD.toString() : "PT6S");
            }
        });
        ok(post("/api/journeys", admin, cart.toString()), 201);
    }

    private static int seededOnHand(String sku, String location) throws Exception {
        int onHand = 0;
        for (String line : lines(suite.root().resolve("launcher/demo/stock-movements.ndjson"))) {
            JsonNode m = JSON.readTree(line);
            if (m.get("sku").asText().equals(sku) && m.get("locationId").asText().equals(location)) {
                onHand += switch (m.get("kind").asText()) {
                    case "SALE", "TRANSFER_OUT" -> -m.get("quantity").asInt();
                    case "COUNT" -> m.get("quantity").asInt() - onHand;
                    default -> m.get("quantity").asInt();
                };
            }
        }
        return onHand;
    }

    // --- reading the stack -----------------------------------------------------------------------------------------

    private static JsonNode runs() throws Exception {
        return ok(get("/api/journeys/cart-abandonment/runs?profileId=" + profileId, admin()), 200);
    }

    private static JsonNode messages() throws Exception {
        return ok(get("/api/messages?profileId=" + profileId, admin()), 200);
    }

    /** Twilio's {@code X-Twilio-Signature}: Base64 HMAC-SHA1 of the URL followed by each name and value, sorted. */
    private static String twilioSignature(String authToken, String url, Map<String, String> form) throws Exception {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(form).forEach((name, value) -> data.append(name).append(value));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static List<ProviderStub.Request> smsTo(String phone) {
        return suite.providers().requests().stream()
                .filter(r -> r.provider().equals("sms") && phone.equals(r.form().get("To"))).toList();
    }

    private static boolean allSent(JsonNode messages) {
        for (JsonNode m : messages) {
            // went out: SENT, or further along once a receipt or a click came
            if (!List.of("SENT", "DELIVERED", "OPENED", "CLICKED").contains(m.get("status").asText())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> marketingGranted(JsonNode contact) {
        List<String> channels = new ArrayList<>();
        contact.path("consents").forEach(c -> {
            if (c.path("purpose").asText().equals("marketing") && c.path("status").asText().equals("granted")) {
                channels.add(c.path("channel").asText());
            }
        });
        return channels;
    }

    private static void awaitTouches(String token, int count) throws Exception {
        poll(count + " touchpoints of Anna in attribution", EVENTUALLY,
                () -> ok(get("/api/attribution/touchpoints?profileId=" + profileId, token), 200).size(),
                n -> n >= count);
    }

    private static int sizeAt(JsonNode store, String sku) {
        for (JsonNode size : store.path("skus")) {
            if (size.path("sku").asText().equals(sku)) {
                return size.path("available").asInt();
            }
        }
        return fail("no " + sku + " in " + store);
    }

    private static int available(JsonNode locations, String location) {
        for (JsonNode l : locations) {
            if (l.path("locationId").asText().equals(location)) {
                return l.path("available").asInt();
            }
        }
        return -1;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        return fail("no " + field + "=" + value + " in " + array);
    }

    /** The latest (by {@code order}) item of {@code array} whose stepId is {@code step}. */
    private static JsonNode find(JsonNode array, String order, String ignored, String step) {
        JsonNode latest = null;
        for (JsonNode item : array) {
            if (item.path("stepId").asText().equals(step) && (latest == null
                    || item.path(order).asText().compareTo(latest.path(order).asText()) > 0)) {
                latest = item;
            }
        }
        return latest != null ? latest : fail("no step " + step + " in " + array);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static double round6(double value) {
        return java.math.BigDecimal.valueOf(value).setScale(6, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    private static JsonNode find(JsonNode array, String field, String value, String field2, String value2) {
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(value) && item.path(field2).asText().equals(value2)) {
                return item;
            }
        }
        return fail("no " + field + "=" + value + ", " + field2 + "=" + value2 + " in " + array);
    }

    private static String orEmpty(JsonNode text) {
        return text.isMissingNode() || text.isNull() ? "" : text.asText();
    }

    private static List<String> skus(JsonNode items) {
        List<String> skus = new ArrayList<>();
        items.forEach(i -> skus.add(i.get("sku").asText()));
        return skus;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static String textOf(Part part) throws Exception {
        if (part.isMimeType("text/plain")) {
            return part.getContent().toString();
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String text = textOf(child);
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    }

    // --- HTTP through the gateway ----------------------------------------------------------------------------------

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    private static String admin() {
        return suite.clientToken("omni-admin");
    }

    private static Answer get(String path, String token) throws Exception {
        return send("GET", path, token, null, Map.of());
    }

    private static Answer post(String path, String token, String body) throws Exception {
        return send("POST", path, token, body, Map.of());
    }

    private static Answer put(String path, String token, String body) throws Exception {
        return send("PUT", path, token, body, Map.of());
    }

    private static Answer send(String method, String path, String token, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(answer.statusCode(), answer.body());
    }

    /** The answer's JSON, if its status is one of {@code expected}; else the test fails with the answer. */
    private static JsonNode ok(Answer answer, int... expected) {
        for (int status : expected) {
            if (answer.status() == status) {
                return answer.body().isBlank() ? JSON.nullNode() : answer.json();
            }
        }
        return fail("expected " + java.util.Arrays.toString(expected) + " but got " + answer.status() + ": "
                + answer.body());
    }

    /** Asks {@code probe} every 200 ms until {@code done} holds; fails with the last value after {@code within}. */
    private static <T> T poll(String what, Duration within, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        T last = null;
        Exception error = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.call();
                error = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                error = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + within + ": " + what + "; last: " + last, error);
    }

    private static void sleepUntil(Instant moment) throws InterruptedException {
        long millis = Duration.between(Instant.now(), moment).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
