package dev.omni.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.omni.testing.ServiceProcess;
import dev.omni.testing.Suite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The console in a real browser against the real suite as {@code ./omni up} runs it ({@link Suite}: Keycloak from its
 * distribution with the launcher's realm, PostgreSQL, Kafka, the four services and the gateway as packaged processes,
 * tokens checked again by the services), and the console itself. The demo data, a customer whose web and app profiles merged, a customer who came
 * by ad, e-mail and store and then bought (and put an item in a cart), a cohort of two for a segment and a
 * reservation put at risk by a till sale are sent through the gateway's public API. Debian's Chromium, driven by
 * playwright-core (src/test/node/scenario.mjs), then logs in as the operator (find the customer, see the merge and the
 * timeline, unmerge, check a size's availability, see the reservation at risk, be refused attribution and segments)
 * and as the marketer (read the attribution chart's and the path Sankey's data, CSV; build a segment, be refused in
 * words, preview its count, save it; see a journey's steps drawn with their counts, have a POST without the CSRF
 * token refused, pause and resume the journey; be refused inventory). What the browser read is checked against what
 * the gateway answers. Every run leaves a screenshot of each page in target/screenshots; a failing step leaves one in
 * target/browser-screenshots.
 */
class ConsoleBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHOTS = Path.of("target", "browser-screenshots").toAbsolutePath();
    /** A screenshot of each page, on every run (the README's come from here: docs/screenshots/console-*.png). */
    private static final Path PAGES = Path.of("target", "screenshots").toAbsolutePath();
    private static final String JOURNEY = "cart-abandonment";
    private static final String STORE = "store-berlin-mitte";
    private static final Path NODE_DIR = Path.of("target", "playwright").toAbsolutePath();
    private static final String PRODUCT = "SNK-RUNNER";
    private static final String SIZE = "SNK-RUNNER-39-BLK";
    private static final String FROM = "2026-01-01";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String chromium;
    private static Suite suite;
    private static ServiceProcess console;
    private static String customerEmail;
    private static String webAnonymousId;
    private static String appAnonymousId;
    private static String cohort;
    private static String segmentName;
    private static String pathEmail;
    private static String riskSku;
    private static String riskReservation;
    private static String coraProfileId;

    @BeforeAll
    static void startTheStack() throws Exception {
        chromium = findChromium().orElse(null);
        if (chromium == null) {
            String banner = "\n" + "!".repeat(100) + "\n!! ConsoleBrowserIT NOT RUN: no Chromium found (looked at -Dchromium, $CHROMIUM, "
                    + "/usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome).\n!! Install one: "
                    + "sudo apt-get install -y chromium   (or pass -Dchromium=/path/to/chrome)\n" + "!".repeat(100);
            System.out.println(banner);
            System.err.println(banner);
            Assumptions.abort("no Chromium: the console's browser test was NOT run (sudo apt-get install -y chromium)");
        }
        installPlaywright();

        // the suite as ./omni up runs it (auth on); the built-in cart-abandonment journey waits an hour before its
        // first send, so no message leaves during the test
        suite = Suite.builder().start();
        console = ServiceProcess.start("console", Path.of("target", "quarkus-app", "quarkus-run.jar"),
                Map.of("omni.oidc.url", suite.realmUrl(), "omni.gateway.url", suite.gatewayUrl()));

        seedThroughTheGateway();
    }

    @AfterAll
    static void stopTheStack() {
        if (console != null) {
            console.close();
        }
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void operatorAndMarketerWorkThroughTheConsoleInABrowser() throws Exception {
        Map<String, List<JsonNode>> steps = runScenario();

        JsonNode customer = steps.get("customer").get(0);
        assertThat(texts(customer.get("identifiers"))).contains("anonymousId " + webAnonymousId,
                "anonymousId " + appAnonymousId, "email " + customerEmail);
        assertThat(customer.get("merges")).hasSize(1);
        assertThat(customer.get("merges").get(0).get("text").asText()).contains(appAnonymousId);
        assertThat(customer.get("merges").get(0).get("undone").asBoolean()).isFalse();
        assertThat(String.join("\n", texts(customer.get("timeline"))))
                .contains("web page").contains("app product_viewed").contains("app identify");

        JsonNode unmerged = steps.get("unmerged").get(0);
        assertThat(unmerged.get("refusedEmptyReason").asBoolean()).as("an empty reason is refused").isTrue();
        assertThat(unmerged.get("banner").asText()).contains("undone");
        assertThat(texts(unmerged.get("identifiers"))).contains("anonymousId " + webAnonymousId)
                .doesNotContain("anonymousId " + appAnonymousId);
        JsonNode split = getJson("/api/profiles?identifierType=anonymousId&identifier=" + appAnonymousId, admin());
        assertThat(split.get("id").asText()).as("the app profile stands alone again")
                .isNotEqualTo(customer.get("url").asText().replaceAll(".*/", ""));

        JsonNode inventory = steps.get("inventory").get(0);
        assertThat(inventory.get("size").asText()).isEqualTo(SIZE);
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (JsonNode size : getJson("/api/products/" + PRODUCT + "/availability", admin()).get("skus")) {
            if (size.get("sku").asText().equals(SIZE)) {
                size.get("locations").forEach(l -> expected.put(l.get("locationId").asText(), l.get("available").asInt()));
            }
        }
        assertThat(expected).isNotEmpty();
        Map<String, Integer> shownOnMap = new LinkedHashMap<>();
        inventory.get("dots").forEach(d -> shownOnMap.put(d.get("location").asText(), d.get("available").asInt()));
        assertThat(shownOnMap).containsAllEntriesOf(expected);
        assertThat(inventory.get("operatorSeesAttribution").asBoolean()).isFalse();
        assertThat(steps.get("refused").get(0).get("status").asInt()).as("operator on attribution").isEqualTo(403);
        assertThat(steps.get("refused").get(0).get("text").asText()).contains("Not for your role");

        JsonNode chart = steps.get("attribution").get(0).get("chart");
        JsonNode comparison = getJson("/api/attribution/reports/comparison?models="
                + "first,last,linear,position-based,time-decay,markov&from=" + FROM + "T00:00:00Z&to="
                + LocalDate.now(ZoneOffset.UTC).plusDays(1) + "T00:00:00Z", admin());
        List<String> channels = new ArrayList<>();
        comparison.get("rows").forEach(r -> channels.add(r.get("key").asText()));
        assertThat(texts(chart.get("channels"))).isEqualTo(channels).contains("web");
        for (JsonNode series : chart.get("series")) {
            String model = series.get("name").asText();
            for (int i = 0; i < channels.size(); i++) {
                assertThat(series.get("data").get(i).asDouble()).as(model + " " + channels.get(i)).isCloseTo(
                        comparison.get("rows").get(i).get("credits").get(model).get("conversions").asDouble(),
                        org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        assertThat(steps.get("attribution").get(0).get("csvFirstLine").asText()).startsWith("key,first_conversions");
        assertThat(steps.get("refused").get(1).get("status").asInt()).as("operator on segments").isEqualTo(403);
        assertThat(steps.get("refused").get(2).get("status").asInt()).as("marketer on inventory").isEqualTo(403);

        // reservations at risk: the one the test put at risk, with its customer linked to the 360 page
        assertThat(inventory.get("atRiskProblem").isNull()).as("at-risk list: " + inventory.get("atRiskProblem"))
                .isTrue();
        JsonNode risky = null;
        for (JsonNode row : inventory.get("atRisk")) {
            if (row.get("reservation").asText().equals(riskReservation)) {
                risky = row;
            }
        }
        assertThat(risky).as("reservation " + riskReservation + " in " + inventory.get("atRisk")).isNotNull();
        assertThat(risky.get("sku").asText()).isEqualTo(riskSku);
        assertThat(risky.get("location").asText()).isEqualTo(STORE);
        assertThat(risky.get("customer").asText()).isEqualTo("/customers/" + coraProfileId);
        assertThat(risky.get("cells").get(3).asText()).as("quantity").isEqualTo("2");
        List<String> listedAtRisk = new ArrayList<>();
        getJson("/api/reservations?status=at_risk&limit=100", admin())
                .forEach(r -> listedAtRisk.add(r.get("id").asText()));
        assertThat(listedAtRisk).contains(riskReservation);

        // the path flow: the Sankey's nodes and links are the gateway's path report, position by position
        JsonNode attribution = steps.get("attribution").get(0);
        JsonNode paths = getJson(pathsQuery(), admin());
        Map<String, Double> expectedLinks = new LinkedHashMap<>();
        List<String> expectedRows = new ArrayList<>();
        for (JsonNode path : paths.get("paths")) {
            List<String> chain = new ArrayList<>();
            List<String> channelsOfPath = texts(path.get("channels"));
            expectedRows.add(String.join(",", channelsOfPath));
            for (int i = 0; i < channelsOfPath.size(); i++) {
                chain.add((i + 1) + " · " + channelsOfPath.get(i));
            }
            chain.add("conversion");
            for (int i = 0; i + 1 < chain.size(); i++) {
                expectedLinks.merge(chain.get(i) + " → " + chain.get(i + 1), path.get("conversions").asDouble(),
                        Double::sum);
            }
        }
        JsonNode sankey = attribution.get("sankey");
        assertThat(sankey.get("type").asText()).isEqualTo("sankey");
        Map<String, Double> drawnLinks = new LinkedHashMap<>();
        sankey.get("links").forEach(l -> drawnLinks.put(l.get("source").asText() + " → " + l.get("target").asText(),
                l.get("value").asDouble()));
        assertThat(drawnLinks).isEqualTo(expectedLinks)
                .containsKeys("1 · ad → 2 · email", "2 · email → 3 · store", "3 · store → conversion");
        assertThat(texts(sankey.get("nodes"))).contains("1 · ad", "2 · email", "3 · store", "conversion");
        List<String> tableRows = new ArrayList<>();
        attribution.get("pathRows").forEach(r -> tableRows.add(r.get("path").asText()));
        assertThat(tableRows).as("the table under the chart").isEqualTo(expectedRows).contains("ad,email,store");

        // segments: refused in words, previewed (the two customers of the cohort), refused without a name, saved
        JsonNode segments = steps.get("segments").get(0);
        assertThat(segments.get("previewRefused").asText()).contains("withinDays");
        String definition = """
                {"match":"all","conditions":[{"type":"trait","trait":"cohort","op":"eq","value":"%s"}]}"""
                .formatted(cohort);
        JsonNode preview = postForJson("/api/segments/preview", admin(), UUID.randomUUID().toString(), definition,
                200);
        assertThat(segments.get("previewCount").asLong()).isEqualTo(2).isEqualTo(preview.get("count").asLong());
        assertThat(segments.get("saveRefused").asText()).contains("name");
        assertThat(segments.get("keptValue").asText()).isEqualTo(cohort);
        assertThat(texts(segments.get("listed"))).contains(segmentName);
        List<String> saved = new ArrayList<>();
        getJson("/api/segments", admin()).forEach(g -> saved.add(g.get("name").asText()));
        assertThat(saved).contains(segmentName);

        // journeys: every step drawn in definition order with the gateway's counts; CSRF; pause, then resume
        JsonNode journeys = steps.get("journeys").get(0);
        assertThat(texts(journeys.get("journeys"))).contains(JOURNEY);
        JsonNode definitionOfJourney = getJson("/api/journeys/" + JOURNEY, admin()).get("definition");
        JsonNode stats = getJson("/api/journeys/" + JOURNEY + "/stats", admin());
        List<String> stepIds = new ArrayList<>();
        definitionOfJourney.get("steps").forEach(st -> stepIds.add(st.get("id").asText()));
        List<String> drawnIds = new ArrayList<>();
        journeys.get("drawn").forEach(d -> drawnIds.add(d.get("step").asText()));
        assertThat(drawnIds).isEqualTo(stepIds);
        Map<String, JsonNode> countsOf = new HashMap<>();
        stats.get("steps").forEach(st -> countsOf.put(st.get("step").asText(), st));
        for (JsonNode d : journeys.get("drawn")) {
            JsonNode c = countsOf.get(d.get("step").asText());
            assertThat(c).as("stats of " + d.get("step")).isNotNull();
            for (String kind : List.of("entered", "sent", "delivered", "opened", "clicked")) {
                assertThat(d.get(kind).asLong()).as(d.get("step") + " " + kind).isEqualTo(c.get(kind).asLong());
            }
            long suppressed = 0;
            for (JsonNode n : c.path("suppressed")) {
                suppressed += n.asLong();
            }
            assertThat(d.get("suppressed").asLong()).as(d.get("step") + " suppressed").isEqualTo(suppressed);
        }
        assertThat(journeys.get("runs").asLong()).isEqualTo(stats.get("entered").asLong()).isPositive();
        assertThat(countsOf.get(stepIds.get(0)).get("entered").asLong()).as("the first step entered").isPositive();
        assertThat(texts(journeys.get("arrows"))).contains("idle>has-app", "has-app>push-reminder",
                "has-app>email-reminder", "push-unread>email-reminder", "email-unclicked>sms-discount");
        assertThat(journeys.get("csrf").get("withoutToken").asInt()).as("POST without the CSRF token").isEqualTo(400);
        assertThat(journeys.get("csrf").get("forgedToken").asInt()).as("POST with a forged token").isEqualTo(400);
        assertThat(journeys.get("stateAfterForgery").asText()).as("the refused POSTs changed nothing")
                .contains("active");
        assertThat(journeys.get("paused").asText()).contains("paused").contains("Resume");
        assertThat(journeys.get("resumed").asText()).contains("active").contains("Pause");
        assertThat(getJson("/api/journeys/" + JOURNEY, admin()).get("active").asBoolean()).isTrue();
    }

    private static Map<String, List<JsonNode>> runScenario() throws Exception {
        Files.createDirectories(SHOTS);
        Files.createDirectories(PAGES);
        Files.copy(Path.of("src/test/node/scenario.mjs"), NODE_DIR.resolve("scenario.mjs"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder builder = new ProcessBuilder("node", "scenario.mjs").directory(NODE_DIR.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(Map.of("CONSOLE_URL", console.url(), "CHROMIUM", chromium,
                "SHOTS", SHOTS.toString(), "PAGES", PAGES.toString(), "CUSTOMER_EMAIL", customerEmail,
                "PRODUCT_ID", PRODUCT, "SIZE", SIZE, "FROM", FROM));
        builder.environment().putAll(Map.of("COHORT", cohort, "SEGMENT_NAME", segmentName, "JOURNEY_ID", JOURNEY));
        Process node = builder.start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(8, TimeUnit.MINUTES)) {
            node.destroyForcibly();
        }
        System.out.println("browser scenario:\n" + output);
        Map<String, List<JsonNode>> steps = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                JsonNode step = JSON.readTree(line);
                steps.computeIfAbsent(step.get("step").asText(), s -> new ArrayList<>()).add(step);
            }
        }
        if (node.exitValue() != 0 || steps.containsKey("failed")) {
            fail("the browser scenario failed (screenshot in " + SHOTS + "; console log " + console.log() + "):\n"
                    + output);
        }
        return steps;
    }

    /** The launcher's demo data and one customer whose web and app visits merged when she logged in on both. */
    private static void seedThroughTheGateway() throws Exception {
        String admin = admin();
        Path demo = suite.root().resolve("launcher/demo");
        for (String line : Files.readAllLines(demo.resolve("locations.ndjson"))) {
            post("/api/locations", admin, line, 201, 409);
        }
        for (String line : Files.readAllLines(demo.resolve("skus.ndjson"))) {
            post("/api/skus", admin, line, 201, 409);
        }
        // in batches: inventory applies a movement id once, so a batch sent again after a timeout is harmless
        List<String> lines = Files.readAllLines(demo.resolve("stock-movements.ndjson")).stream()
                .filter(l -> !l.isBlank()).toList();
        for (int from = 0; from < lines.size(); from += 40) {
            ArrayNode batch = JSON.createArrayNode();
            for (String line : lines.subList(from, Math.min(lines.size(), from + 40))) {
                batch.add(JSON.readTree(line));
            }
            post("/api/stock-movements", admin, batch.toString(), 200);
        }
        String pos = suite.clientToken("partner-pos");
        for (String line : Files.readAllLines(demo.resolve("events.ndjson"))) {
            post("/api/events", pos, line, 202);
        }
        String unique = UUID.randomUUID().toString().substring(0, 8);
        customerEmail = "cora-" + unique + "@example.com";
        webAnonymousId = "web-" + unique;
        appAnonymousId = "app-" + unique;
        post("/api/events", pos, """
                [{"type":"page","channel":"web","messageId":"%1$s-1","identifiers":{"anonymousId":"%2$s"},
                  "properties":{"path":"/sneakers"}},
                 {"type":"track","event":"product_viewed","channel":"app","messageId":"%1$s-2",
                  "identifiers":{"anonymousId":"%3$s"},"properties":{"sku":"%4$s"}}]"""
                .formatted(unique, webAnonymousId, appAnonymousId, SIZE), 202);
        post("/api/events", pos, """
                [{"type":"identify","channel":"web","messageId":"%1$s-3",
                  "identifiers":{"anonymousId":"%2$s","userId":"u-%1$s","email":"%3$s"},
                  "traits":{"firstName":"Cora","lastName":"Test"}},
                 {"type":"identify","channel":"app","messageId":"%1$s-4",
                  "identifiers":{"anonymousId":"%4$s","userId":"u-%1$s"}}]"""
                .formatted(unique, webAnonymousId, customerEmail, appAnonymousId), 202);
        seedPathsSegmentAndJourney(pos, unique);
        awaitAvailabilityOf(SIZE);
        seedReservationAtRisk(admin, unique);
        awaitPath(List.of("ad", "email", "store"));
        awaitJourneyRun();
    }

    /**
     * Paz: an ad, an e-mail, a store visit, then a purchase in the store (attribution's path ad → email → store), then
     * a cart item (the built-in cart-abandonment journey starts a run). Paz and Quinn share a {@code cohort} trait no
     * one else has: the segment the marketer previews has exactly these two.
     */
    private static void seedPathsSegmentAndJourney(String pos, String unique) throws Exception {
        cohort = "cohort-" + unique;
        segmentName = "console-it-" + unique;
        pathEmail = "paz-" + unique + "@example.com";
        Instant now = Instant.now();
        post("/api/events", pos, """
                [{"type":"identify","channel":"web","messageId":"%1$s-p1","identifiers":{"email":"%2$s","userId":"paz-%1$s"},
                  "traits":{"firstName":"Paz","lastName":"Path","cohort":"%3$s"},"timestamp":"%4$s"},
                 {"type":"track","event":"ad_clicked","channel":"ad","messageId":"%1$s-p2","identifiers":{"email":"%2$s"},
                  "properties":{"campaign":"console-it","source":"google","medium":"cpc"},"timestamp":"%5$s"},
                 {"type":"track","event":"email_clicked","channel":"email","messageId":"%1$s-p3","identifiers":{"email":"%2$s"},
                  "properties":{"campaign":"console-it"},"timestamp":"%6$s"},
                 {"type":"track","event":"store_visited","channel":"store","messageId":"%1$s-p4","identifiers":{"email":"%2$s"},
                  "properties":{"locationId":"%9$s"},"timestamp":"%7$s"},
                 {"type":"track","event":"order_completed","channel":"store","messageId":"%1$s-p5","identifiers":{"email":"%2$s"},
                  "value":99.5,"currency":"EUR","properties":{"orderId":"CONSOLE-%1$s","locationId":"%9$s"},"timestamp":"%8$s"}]"""
                .formatted(unique, pathEmail, cohort, now.minusSeconds(4 * 3600), now.minusSeconds(3 * 3600),
                        now.minusSeconds(2 * 3600), now.minusSeconds(3600), now.minusSeconds(1800), STORE), 202);
        post("/api/events", pos, """
                [{"type":"identify","channel":"app","messageId":"%1$s-q1","identifiers":{"email":"quinn-%1$s@example.com"},
                  "traits":{"firstName":"Quinn","lastName":"Cohort","cohort":"%2$s"}},
                 {"type":"track","event":"cart_item_added","channel":"web","messageId":"%1$s-p6","identifiers":{"email":"%3$s"},
                  "properties":{"productId":"%4$s","sku":"%5$s","quantity":1,"price":129.9,"currency":"EUR"}}]"""
                .formatted(unique, cohort, pathEmail, PRODUCT, SIZE), 202);
    }

    /** A size of its own at one store: 2 received, 2 reserved for Cora, then a till sale of 1 puts it at risk. */
    private static void seedReservationAtRisk(String admin, String unique) throws Exception {
        coraProfileId = awaitProfileId(customerEmail);
        riskSku = "CONSOLE-RISK-" + unique;
        post("/api/skus", admin, """
                {"sku":"%s","productId":"CONSOLE-RISK","name":"Console test tee M","attributes":{"size":"M"}}"""
                .formatted(riskSku), 201, 409);
        post("/api/stock-movements", admin, """
                {"movementId":"console-receipt-%s","kind":"RECEIPT","sku":"%s","locationId":"%s","quantity":2,"source":"console-it"}"""
                .formatted(unique, riskSku, STORE), 200);
        JsonNode reservation = postForJson("/api/reservations", admin, "console-reserve-" + unique, """
                {"profileId":"%s","pickupLocationId":"%s","allowReallocation":false,"lines":[{"sku":"%s","quantity":2}]}"""
                .formatted(coraProfileId, STORE, riskSku), 201);
        riskReservation = reservation.get("id").asText();
        post("/api/stock-movements", admin, """
                {"movementId":"console-sale-%s","kind":"SALE","sku":"%s","locationId":"%s","quantity":1,"source":"pos"}"""
                .formatted(unique, riskSku, STORE), 200);
    }

    private static String awaitProfileId(String email) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = get("/api/profiles?identifierType=email&identifier="
                    + URLEncoder.encode(email, StandardCharsets.UTF_8), admin());
            if (answer.statusCode() == 200) {
                return JSON.readTree(answer.body()).get("id").asText();
            }
            Thread.sleep(1000);
        }
        return fail("no profile with " + email + " at the gateway");
    }

    /** Attribution builds journeys from the events as they stream in: wait until the path is in the report. */
    private static void awaitPath(List<String> channels) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = get(pathsQuery(), admin());
            last = answer.statusCode() + " " + answer.body();
            if (answer.statusCode() == 200) {
                for (JsonNode path : JSON.readTree(answer.body()).path("paths")) {
                    if (texts(path.get("channels")).equals(channels)) {
                        return;
                    }
                }
            }
            Thread.sleep(1000);
        }
        fail("the path " + channels + " never showed in the gateway's path report: " + last);
    }

    /** The cart item started a run of the built-in journey: wait until its counts say so. */
    private static void awaitJourneyRun() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = get("/api/journeys/" + JOURNEY + "/stats", admin());
            last = answer.statusCode() + " " + answer.body();
            if (answer.statusCode() == 200 && JSON.readTree(answer.body()).path("entered").asLong() > 0) {
                Thread.sleep(2000); // the rest of the burst
                return;
            }
            Thread.sleep(1000);
        }
        fail("no run of " + JOURNEY + " was counted: " + last);
    }

    private static String pathsQuery() {
        return "/api/attribution/reports/paths?from=" + FROM + "T00:00:00Z&to="
                + LocalDate.now(ZoneOffset.UTC).plusDays(1) + "T00:00:00Z&limit=20";
    }

    /** The gateway reads availability from omni.availability: wait until the seeded stock has arrived there. */
    private static void awaitAvailabilityOf(String sku) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            for (JsonNode size : getJson("/api/products/" + PRODUCT + "/availability", admin()).path("skus")) {
                if (size.path("sku").asText().equals(sku) && size.path("locations").size() >= 8) {
                    Thread.sleep(3000); // the rest of the burst
                    return;
                }
            }
            Thread.sleep(1000);
        }
        fail("the gateway never saw the availability of " + sku);
    }

    private static String admin() {
        return suite.clientToken("omni-admin");
    }

    /** Sent again after a 502/503/504: every record seeded carries its natural key, so a repeat is harmless. */
    private static void post(String path, String token, String body, int... accepted) throws Exception {
        for (int attempt = 1; !contains(accepted, post(path, token, body, attempt == 3, accepted)); attempt++) {
            Thread.sleep(2000);
        }
    }

    private static boolean contains(int[] statuses, int status) {
        return java.util.Arrays.stream(statuses).anyMatch(s -> s == status);
    }

    /** The status, if accepted or (unless {@code last}) a 502/503/504 worth sending again; else the test fails. */
    private static int post(String path, String token, String body, boolean last, int... accepted) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (int status : accepted) {
            if (answer.statusCode() == status) {
                return status;
            }
        }
        if (!last && answer.statusCode() >= 502 && answer.statusCode() <= 504) {
            return answer.statusCode();
        }
        return fail("POST " + path + " answered " + answer.statusCode() + ": " + answer.body());
    }

    /** One POST with an idempotency key, sent again on 502/503/504 (the key makes the repeat harmless). */
    private static JsonNode postForJson(String path, String token, String idempotencyKey, String body, int accepted)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Idempotency-Key", idempotencyKey).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == accepted || answer.statusCode() == 200) {
                return JSON.readTree(answer.body());
            }
            if (attempt == 3 || answer.statusCode() < 502 || answer.statusCode() > 504) {
                return fail("POST " + path + " answered " + answer.statusCode() + ": " + answer.body());
            }
            Thread.sleep(2000);
        }
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode getJson(String path, String token) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET " + path + ": " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }


    private static Optional<String> findChromium() {
        List<String> candidates = new ArrayList<>();
        Optional.ofNullable(System.getProperty("chromium")).ifPresent(candidates::add);
        Optional.ofNullable(System.getenv("CHROMIUM")).ifPresent(candidates::add);
        candidates.addAll(List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"));
        return candidates.stream().filter(c -> !c.isBlank() && Files.isExecutable(Path.of(c))).findFirst();
    }

    /** playwright-core at the version of src/test/node/package-lock.json, into target/playwright (once). */
    private static void installPlaywright() throws IOException, InterruptedException {
        Path installed = NODE_DIR.resolve("node_modules/playwright-core/package.json");
        String wanted = JSON.readTree(Path.of("src/test/node/package.json").toFile()).path("dependencies")
                .path("playwright-core").asText();
        if (Files.isRegularFile(installed)
                && JSON.readTree(installed.toFile()).path("version").asText().equals(wanted)) {
            return;
        }
        Files.createDirectories(NODE_DIR);
        for (String file : List.of("package.json", "package-lock.json")) {
            Files.copy(Path.of("src/test/node", file), NODE_DIR.resolve(file),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process npm = new ProcessBuilder(System.getProperty("npm", "npm"), "ci", "--ignore-scripts", "--no-audit",
                "--no-fund").directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            fail("npm ci of playwright-core into " + NODE_DIR + " failed (needs the npm registry once):\n" + output);
        }
    }
}
