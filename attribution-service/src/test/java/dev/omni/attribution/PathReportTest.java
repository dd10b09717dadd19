package dev.omni.attribution;

import dev.omni.contracts.Channel;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.omni.attribution.Events.produce;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * {@code GET /api/reports/paths} over touchpoints and orders sent through Kafka, with the paths worked out by hand.
 * Every order is a touch of its own channel (here the store). In May 2025, 30-day lookback:
 * <ul>
 *   <li>A: ad, email, email, email (a day apart: three visits, one step), order 50.00 → ad › email › store</li>
 *   <li>B: ad, email, order 70.50 → ad › email › store; then email, order 10.00 → email › store</li>
 *   <li>C: email, order 30.00 → email › store</li>
 *   <li>D: ad email sms push ad email sms push ad email, order 99.99 → eleven steps, the last eight kept</li>
 *   <li>E: ad on 1 April (outside 30 days, inside 60), email, order 40.00 → email › store</li>
 *   <li>G: an ad click and no order (no path); H: ad and order in April (before the range)</li>
 * </ul>
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class PathReportTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MAY = "from=2025-05-01&to=2025-05-31";
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private static boolean published;

    @BeforeEach
    void publishTheJourneys() {
        if (published) {
            return;
        }
        published = true;
        String a = Events.newProfile();
        String b = Events.newProfile();
        String c = Events.newProfile();
        String d = Events.newProfile();
        String e = Events.newProfile();
        String g = Events.newProfile();
        String h = Events.newProfile();
        List<CloudEvent<?>> events = new ArrayList<>(List.of(
                touch(a, Channel.AD, "2025-05-02T09:00:00Z"), touch(a, Channel.EMAIL, "2025-05-03T09:00:00Z"),
                touch(a, Channel.EMAIL, "2025-05-04T09:00:00Z"), touch(a, Channel.EMAIL, "2025-05-05T09:00:00Z"),
                order(a, "2025-05-06T09:00:00Z", "50.00"),
                touch(b, Channel.AD, "2025-05-03T09:00:00Z"), touch(b, Channel.EMAIL, "2025-05-04T09:00:00Z"),
                order(b, "2025-05-05T09:00:00Z", "70.50"),
                touch(b, Channel.EMAIL, "2025-05-15T09:00:00Z"), order(b, "2025-05-16T09:00:00Z", "10.00"),
                touch(c, Channel.EMAIL, "2025-05-07T09:00:00Z"), order(c, "2025-05-07T11:00:00Z", "30.00"),
                touch(e, Channel.AD, "2025-04-01T09:00:00Z"), touch(e, Channel.EMAIL, "2025-05-08T09:00:00Z"),
                order(e, "2025-05-10T09:00:00Z", "40.00"),
                touch(g, Channel.AD, "2025-05-12T09:00:00Z"),
                touch(h, Channel.AD, "2025-04-20T09:00:00Z"), order(h, "2025-04-25T09:00:00Z", "20.00")));
        Channel[] cycle = {Channel.AD, Channel.EMAIL, Channel.SMS, Channel.PUSH};
        for (int i = 0; i < 10; i++) {
            events.add(touch(d, cycle[i % cycle.length], "2025-05-%02dT09:00:00Z".formatted(10 + i)));
        }
        events.add(order(d, "2025-05-21T09:00:00Z", "99.99"));
        produce(kafka, events.toArray(CloudEvent[]::new));
        Map<String, Integer> touches = Map.of(a, 5, b, 5, c, 2, d, 11, e, 3, g, 1, h, 2);
        await().atMost(WAIT).untilAsserted(() -> touches.forEach((profile, count) ->
                api().get("/api/touchpoints?profileId=" + profile).then().body("", hasSize(count))));
    }

    @Test
    void theMostCommonPathsWithRepeatsCollapsedAndLongPathsCut() {
        api().get("/api/reports/paths?" + MAY).then().statusCode(200)
                .contentType("application/json")
                .body("from", is("2025-05-01T00:00:00Z"))
                .body("to", is("2025-06-01T00:00:00Z"))
                .body("lookbackDays", is(30))
                .body("conversions", is(6))
                .body("paths", hasSize(3))
                .body("paths[0].channels", contains("email", "store"))
                .body("paths[0].conversions", is(3))
                .body("paths[0].revenue", is(80.0))
                .body("paths[1].channels", contains("ad", "email", "store"))
                .body("paths[1].conversions", is(2))
                .body("paths[1].revenue", is(120.5))
                .body("paths[2].channels", contains("push", "ad", "email", "sms", "push", "ad", "email", "store"))
                .body("paths[2].conversions", is(1))
                .body("paths[2].revenue", is(99.99));
    }

    @Test
    void aLongerLookbackReachesTheEarlierTouch() {
        api().get("/api/reports/paths?lookbackDays=60&" + MAY).then().statusCode(200)
                .body("lookbackDays", is(60))
                .body("conversions", is(6))
                .body("paths[0].channels", contains("ad", "email", "store"))
                .body("paths[0].conversions", is(3))
                .body("paths[0].revenue", is(160.5))
                .body("paths[1].channels", contains("email", "store"))
                .body("paths[1].conversions", is(2))
                .body("paths[1].revenue", is(40.0));
    }

    @Test
    void theLimitAndTheRangeChooseWhatIsListed() {
        api().get("/api/reports/paths?limit=1&" + MAY).then().statusCode(200)
                .body("conversions", is(6))
                .body("paths", hasSize(1))
                .body("paths[0].channels", contains("email", "store"));
        // April holds only H's journey; E's early ad click ended no journey in April
        api().get("/api/reports/paths?from=2025-04-01&to=2025-04-30").then().statusCode(200)
                .body("conversions", is(1))
                .body("paths", hasSize(1))
                .body("paths[0].channels", contains("ad", "store"))
                .body("paths[0].revenue", is(20.0));
    }

    @Test
    void badParametersNameTheField() {
        api().get("/api/reports/paths?limit=0").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", contains("limit"));
        api().get("/api/reports/paths?limit=101").then().statusCode(400).body("violations.field", contains("limit"));
        api().get("/api/reports/paths?limit=many").then().statusCode(400).body("violations.field", contains("limit"));
        api().get("/api/reports/paths?from=2025-05-31&to=2025-05-01&lookbackDays=0&limit=-3").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItems("from", "lookbackDays", "limit"));
        api().get("/api/reports/paths?to=yesterday").then().statusCode(400).body("violations.field", contains("to"));
    }

    private static RequestSpecification api() {
        return given().config(DOUBLES);
    }

    private static CloudEvent<InteractionRecorded> touch(String profile, Channel channel, String at) {
        return Events.interaction(profile, channel, "track", channel.wire() + "_clicked", Instant.parse(at),
                Map.of("source", channel.wire(), "medium", "paid"), null, null);
    }

    private static CloudEvent<InteractionRecorded> order(String profile, String at, String value) {
        return Events.interaction(profile, Channel.STORE, "track", "order_completed", Instant.parse(at), Map.of(),
                new BigDecimal(value), null);
    }
}
