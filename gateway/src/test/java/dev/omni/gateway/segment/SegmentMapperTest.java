package dev.omni.gateway.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.omni.contracts.Channel;
import dev.omni.gateway.problem.Violation;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping from Segment messages to profile-service events, without infrastructure. */
class SegmentMapperTest {

    /**
     * Shared with profile-service's {@code SegmentMappedEventsTest}, which ingests {@link #FORWARDED} for real: what
     * the gateway forwards for {@link #SENT} is exactly what profile-service is proven to take.
     */
    static final Path SENT = Path.of("src", "test", "resources", "segment", "sdk-batch.json");
    static final Path FORWARDED = Path.of("src", "test", "resources", "segment", "sdk-batch.forwarded.json");
    /** The device's clock is 10 s ahead: it said sentAt 12:00:10 when the server received at 12:00:00. */
    static final Instant RECEIVED_AT = Instant.parse("2026-03-01T12:00:00Z");

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final SegmentMapper mapper = new SegmentMapper(json, 32 * 1024);

    @Test
    void theFixtureBatchBecomesExactlyTheEventsProfileServiceIsProvenToIngest() throws Exception {
        SegmentMapper.Mapped mapped = mapper.batch(json.readTree(SENT.toFile()), Channel.WEB, RECEIVED_AT, 2500);
        assertThat(mapped.violations()).isEmpty();
        JsonNode actual = SegmentMapper.array(mapped.events());
        assertThat(actual)
                .as("update %s only together with profile-service's SegmentMappedEventsTest:%n%s", FORWARDED,
                        json.writeValueAsString(actual))
                .isEqualTo(json.readTree(Files.readString(FORWARDED)));
    }

    @Test
    void timestampsAreCorrectedForTheDevicesClock() {
        Instant received = Instant.parse("2026-03-01T12:00:00Z");
        assertThat(SegmentMapper.occurredAt(Instant.parse("2026-03-01T12:05:00Z"),
                Instant.parse("2026-03-01T12:05:30Z"), received))
                .isEqualTo(Instant.parse("2026-03-01T11:59:30Z"));
        assertThat(SegmentMapper.occurredAt(Instant.parse("2026-03-01T11:00:00Z"), null, received))
                .isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(SegmentMapper.occurredAt(null, Instant.parse("2026-03-01T12:05:30Z"), received)).isEqualTo(received);
    }

    @Test
    void aMessagesOwnSentAtWinsOverTheBatchs() throws Exception {
        SegmentMapper.Mapped mapped = mapper.batch(json.readTree("""
                {"sentAt":"2026-03-01T12:00:10Z","batch":[{"type":"track","userId":"u","event":"x",
                  "timestamp":"2026-03-01T12:00:01Z","sentAt":"2026-03-01T12:00:01Z"}]}"""), Channel.APP,
                RECEIVED_AT, 2500);
        assertThat(mapped.events().get(0).path("timestamp").asText()).isEqualTo("2026-03-01T12:00:00Z");
    }

    @Test
    void eventNamesBecomeOmniSnakeCase() {
        assertThat(SegmentMapper.eventName("Order Completed")).isEqualTo("order_completed");
        assertThat(SegmentMapper.eventName("  Checkout-Step.Viewed! ")).isEqualTo("checkout_step_viewed");
        assertThat(SegmentMapper.eventName("product_viewed")).isEqualTo("product_viewed");
    }

    @Test
    void emailAndPhoneIdentifyOnlyWhenTheyAreAnAddressAndAnInternationalNumber() throws Exception {
        SegmentMapper.Mapped mapped = mapper.single("identify", json.readTree("""
                {"userId":"u-1","traits":{"email":"not an address","phone":"030 1234567"}}"""), Channel.WEB,
                RECEIVED_AT);
        assertThat(mapped.events().get(0).path("identifiers").toString()).isEqualTo("{\"userId\":\"u-1\"}");
        assertThat(mapped.events().get(0).path("traits").path("email").asText()).isEqualTo("not an address");
        mapped = mapper.single("identify", json.readTree("""
                {"anonymousId":"a-1","traits":{"email":"Kim@Example.com","phone":"0049 30 1234567"}}"""),
                Channel.WEB, RECEIVED_AT);
        assertThat(mapped.events().get(0).path("identifiers").toString())
                .isEqualTo("{\"anonymousId\":\"a-1\",\"email\":\"Kim@Example.com\",\"phone\":\"0049 30 1234567\"}");
    }

    @Test
    void everyWrongFieldIsNamed() throws Exception {
        SegmentMapper.Mapped mapped = mapper.batch(json.readTree("""
                {"batch":[{"type":"track","userId":"u"},
                          {"type":"alias","userId":"u"},
                          {"type":"group","anonymousId":"a"},
                          {"type":"page","userId":{"id":1},"anonymousId":"a","properties":[1]},
                          {"type":"track","userId":"u","event":"!!!"},
                          "text"]}"""), Channel.WEB, RECEIVED_AT, 2500);
        assertThat(mapped.violations()).extracting(Violation::field).containsExactlyInAnyOrder(
                "batch[0].event", "batch[1].previousId", "batch[2].groupId", "batch[3].userId",
                "batch[3].properties", "batch[4].event", "batch[5]");
        assertThat(mapped.events()).hasSize(0);
    }

    @Test
    void aMessageWithoutMessageIdGetsOne() throws Exception {
        SegmentMapper.Mapped mapped = mapper.single("track", json.readTree("{\"userId\":42,\"event\":\"x\"}"),
                Channel.WEB, RECEIVED_AT);
        assertThat(mapped.events().get(0).path("messageId").asText()).startsWith("omni-");
        assertThat(mapped.events().get(0).path("identifiers").path("userId").asText()).isEqualTo("42");
        assertThat(mapped.events().get(0).path("timestamp").asText()).isEqualTo(RECEIVED_AT.toString());
    }
}
