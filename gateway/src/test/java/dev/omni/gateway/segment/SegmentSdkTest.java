package dev.omni.gateway.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.TrackMessage;
import dev.omni.gateway.GatewayTestResources;
import dev.omni.gateway.InjectStubServices;
import dev.omni.gateway.StubServices;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Segment's own SDKs, unchanged but for the host, send to the gateway: {@code @segment/analytics-node} from npm (run
 * by Node.js) and {@code com.segment.analytics.java:analytics} from Maven Central. What reaches profile-service's
 * {@code POST /api/events} is read back from its recording stub.
 */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SegmentSdkTest {

    /** Pinned: the version the test installs into target/ with npm. */
    static final String ANALYTICS_NODE = "3.1.0";
    private static final String WEB_KEY = "test-web-write-key";
    private static final String POS_KEY = "test-pos-write-key";

    @InjectStubServices
    StubServices services;

    @TestHTTPResource("/")
    URL gateway;

    @BeforeEach
    void resetStubs() {
        services.reset();
        ProfileEventsStub.accepting(services.profile);
    }

    @Test
    void analyticsNodeSendsTrackIdentifyPageAliasScreenGroupIntoTheEventsPipeline() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant before = Instant.now();
        SdkRun result = runAnalyticsNode(WEB_KEY, run);
        assertThat(result.exitCode).as(result.output).isZero();
        JsonNode summary = ProfileEventsStub.JSON.readTree(lastLine(result.output));
        assertThat(summary.path("errors")).as(result.output).isEmpty();
        assertThat(summary.path("responses").toString()).as("the SDK was answered 200").contains("200");

        List<LoggedRequest> calls = ProfileEventsStub.requests(services.profile);
        assertThat(calls).allSatisfy(call -> assertThat(call.getUrl()).isEqualTo("/api/events?atomic=true&wait=false"));
        List<JsonNode> events = ProfileEventsStub.events(services.profile);
        assertThat(events).extracting(e -> e.path("type").asText() + ":" + e.path("event").asText(""))
                .containsExactly("page:", "track:product_viewed", "identify:alias", "identify:",
                        "track:order_completed", "page:screen", "track:group");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("channel").asText()).isEqualTo("web");
            assertThat(e.path("messageId").asText()).startsWith("node-next-");
        });

        JsonNode page = events.get(0);
        assertThat(page.path("identifiers").toString()).isEqualTo("{\"anonymousId\":\"anon-" + run + "\"}");
        assertThat(page.path("properties").path("name").asText()).isEqualTo("Sneakers");
        assertThat(page.path("properties").path("category").asText()).isEqualTo("Catalogue");

        JsonNode viewed = events.get(1);
        assertThat(viewed.path("properties").path("sku").asText()).isEqualTo("SKU-" + run);
        assertThat(viewed.path("campaign").asText()).isEqualTo("spring-" + run);
        // sent a minute after it happened: the server-side time is a minute before the SDK's sentAt was received
        Instant viewedAt = Instant.parse(viewed.path("timestamp").asText());
        assertThat(Duration.between(viewedAt, Instant.now())).isBetween(Duration.ofSeconds(55),
                Duration.ofSeconds(120));
        assertThat(viewedAt).isBefore(before);

        JsonNode alias = events.get(2);
        assertThat(alias.path("identifiers").toString())
                .isEqualTo("{\"userId\":\"user-" + run + "\",\"anonymousId\":\"anon-" + run + "\"}");

        JsonNode identify = events.get(3);
        assertThat(identify.path("identifiers").path("email").asText()).isEqualTo("Anna." + run + "@Example.com");
        assertThat(identify.path("identifiers").path("userId").asText()).isEqualTo("user-" + run);
        assertThat(identify.path("traits").path("firstName").asText()).isEqualTo("Anna");

        JsonNode order = events.get(4);
        assertThat(order.path("value").decimalValue()).isEqualByComparingTo("59.9");
        assertThat(order.path("currency").asText()).isEqualTo("EUR");
        assertThat(order.path("properties").path("orderId").asText()).isEqualTo("ORD-" + run);

        assertThat(events.get(6).path("properties").path("groupId").asText()).isEqualTo("company-" + run);
    }

    @Test
    void analyticsNodeWithAnUnknownWriteKeyIsRefusedAndNothingIsForwarded() throws Exception {
        SdkRun result = runAnalyticsNode("not-a-key", UUID.randomUUID().toString().substring(0, 8));
        assertThat(result.exitCode).as(result.output).isZero();
        JsonNode summary = ProfileEventsStub.JSON.readTree(lastLine(result.output));
        assertThat(summary.path("responses").toString()).contains("401");
        assertThat(summary.path("errors")).as("the SDK reports the refused delivery").isNotEmpty();
        assertThat(ProfileEventsStub.requests(services.profile)).isEmpty();
    }

    @Test
    void analyticsJavaSendsIntoTheEventsPipeline() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> failures = new CopyOnWriteArrayList<>();
        CountDownLatch delivered = new CountDownLatch(4);
        Analytics analytics = Analytics.builder(POS_KEY)
                .endpoint(gateway.toString())
                .flushQueueSize(10)
                .flushInterval(1, TimeUnit.SECONDS)
                .retries(1)
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        delivered.countDown();
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        failures.add(message.type() + ": " + throwable);
                        delivered.countDown();
                    }
                })
                .build();
        try {
            analytics.enqueue(PageMessage.builder("Till").anonymousId("pos-anon-" + run)
                    .properties(Map.of("store", "berlin-mitte")));
            analytics.enqueue(AliasMessage.builder("pos-anon-" + run).userId("pos-user-" + run));
            analytics.enqueue(IdentifyMessage.builder().userId("pos-user-" + run)
                    .traits(Map.of("email", "kim." + run + "@example.com", "phone", "+49 30 1234567")));
            analytics.enqueue(TrackMessage.builder("Order Completed").userId("pos-user-" + run)
                    .properties(Map.of("orderId", "POS-" + run, "total", 12.5, "currency", "EUR")));
            analytics.flush();
            assertThat(delivered.await(30, TimeUnit.SECONDS)).as("the SDK delivered its queue").isTrue();
        } finally {
            analytics.shutdown();
        }
        assertThat(failures).isEmpty();

        List<JsonNode> events = ProfileEventsStub.events(services.profile);
        assertThat(events).extracting(e -> e.path("type").asText() + ":" + e.path("event").asText(""))
                .containsExactly("page:", "identify:alias", "identify:", "track:order_completed");
        assertThat(events).allSatisfy(e -> assertThat(e.path("channel").asText()).isEqualTo("pos"));
        assertThat(events.get(1).path("identifiers").path("anonymousId").asText()).isEqualTo("pos-anon-" + run);
        assertThat(events.get(2).path("identifiers").path("email").asText()).isEqualTo("kim." + run + "@example.com");
        assertThat(events.get(2).path("identifiers").path("phone").asText()).isEqualTo("+49 30 1234567");
        assertThat(events.get(3).path("value").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(events.get(3).path("properties").path("orderId").asText()).isEqualTo("POS-" + run);
        assertThat(events).extracting(e -> e.path("messageId").asText()).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).isNotBlank().doesNotStartWith("omni-"));
    }

    // --- running @segment/analytics-node ---

    record SdkRun(int exitCode, String output) {
    }

    private SdkRun runAnalyticsNode(String writeKey, String run) throws Exception {
        Path modules = installAnalyticsNode();
        Path script = Path.of("src", "test", "resources", "segment", "analytics-node-send.js").toAbsolutePath();
        String host = gateway.toString().replaceAll("/$", "");
        ProcessBuilder node = new ProcessBuilder("node", script.toString(), host, writeKey, run)
                .redirectErrorStream(true);
        node.environment().put("NODE_PATH", modules.toAbsolutePath().toString());
        return execute(node, Duration.ofSeconds(60));
    }

    /** npm-installs the pinned SDK once into target/ (git-ignored); later runs reuse it. */
    static synchronized Path installAnalyticsNode() throws Exception {
        Path prefix = Path.of("target", "segment-sdk", "analytics-node-" + ANALYTICS_NODE);
        Path modules = prefix.resolve("node_modules");
        if (!Files.isRegularFile(modules.resolve("@segment/analytics-node/package.json"))) {
            Files.createDirectories(prefix);
            SdkRun install = execute(new ProcessBuilder("npm", "install", "--prefix", prefix.toString(),
                    "--no-audit", "--no-fund", "--no-package-lock", "@segment/analytics-node@" + ANALYTICS_NODE)
                    .redirectErrorStream(true), Duration.ofMinutes(5));
            assertThat(install.exitCode).as("npm install: " + install.output).isZero();
        }
        String installed = Files.readString(modules.resolve("@segment/analytics-node/package.json"));
        assertThat(installed).contains("\"version\": \"" + ANALYTICS_NODE + "\"");
        return modules;
    }

    private static SdkRun execute(ProcessBuilder builder, Duration timeout) throws Exception {
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                        .forEach(lines::add);
            } catch (IOException ignored) {
                // the process died; its exit code says so
            }
        });
        reader.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", builder.command()) + " did not finish within " + timeout);
        }
        reader.join(5000);
        return new SdkRun(process.exitValue(), lines.stream().collect(Collectors.joining("\n")));
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }
}
