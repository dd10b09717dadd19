package dev.omni.attribution;

import dev.omni.contracts.Channel;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.omni.attribution.Events.produce;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * End to end: interactions and message clicks go through Kafka and come out of the reports with the credit worked
 * out by hand. The journeys are DESIGN.md's four-path example — G→conv ×2, M→conv, G→M→conv, G→null — with G the
 * campaign {@code google-search} (ad clicks, cost 2.00 each) and M the campaign {@code newsletter} (email clicks);
 * each order (100.00, on the web) carries the campaign and UTM of the touch before it.
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttributionReportTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RANGE = "from=2025-03-01&to=2025-03-31";
    private static final double EPSILON = 1e-6;
    private static final Map<String, Object> GOOGLE = Map.of("utm_source", "google", "utm_medium", "cpc");
    private static final Map<String, Object> NEWSLETTER = Map.of("utm_source", "newsletter", "utm_medium", "email");

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private boolean published;
    private String p1;
    private String p3;
    private String p4;

    /** Reads decimals as doubles, so closeTo applies. */
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    /** Once for the class (not in @BeforeAll: the test HTTP port is only known before each test). */
    @BeforeEach
    void publishTheFourPathExample() {
        if (published) {
            return;
        }
        published = true;
        p1 = Events.newProfile();
        String p2 = Events.newProfile();
        p3 = Events.newProfile();
        p4 = Events.newProfile();
        String p5 = Events.newProfile();
        produce(kafka, adClick(p1, "2025-03-05T10:00:00Z"), order(p1, "2025-03-05T10:10:00Z", "google-search", GOOGLE),
                adClick(p2, "2025-03-06T10:00:00Z"), order(p2, "2025-03-06T10:10:00Z", "google-search", GOOGLE));
        // arrival order must not matter: these profiles' orders arrive before the touches that led to them
        produce(kafka, order(p3, "2025-03-07T10:10:00Z", "newsletter", NEWSLETTER),
                order(p4, "2025-03-09T10:10:00Z", "newsletter", NEWSLETTER),
                emailClick(p4, "2025-03-09T10:00:00Z"), emailClick(p3, "2025-03-07T10:00:00Z"),
                adClick(p4, "2025-03-08T10:00:00Z"), adClick(p5, "2025-03-10T10:00:00Z"));
        // the profiles' events travel on different partitions: wait for every one of them
        Map<String, Integer> touches = Map.of(p1, 2, p2, 2, p3, 2, p4, 3, p5, 1);
        await().atMost(WAIT).untilAsserted(() -> touches.forEach((profile, count) ->
                api().get("/api/touchpoints?profileId=" + profile).then().body("", hasSize(count))));
    }

    @Test
    @Order(1)
    void markovByCampaignSplitsTheDesignExampleTwoPointFourToOnePointSix() {
        api().get("/api/reports/credit?model=markov&dimension=campaign&" + RANGE).then().statusCode(200)
                .contentType("application/json")
                .body("model", is("markov"))
                .body("parameters.order", is(1))
                .body("journeys", is(5))
                .body("convertingJourneys", is(4))
                .body("value", closeTo(400, EPSILON))
                .body("credits", hasSize(2))
                .body("credits[0].key", is("google-search"))
                .body("credits[0].conversions", closeTo(2.4, EPSILON))
                .body("credits[0].value", closeTo(240, EPSILON))
                .body("credits[0].share", closeTo(0.6, EPSILON))
                .body("credits[0].cost", closeTo(8, EPSILON))
                .body("credits[0].roas", closeTo(30, EPSILON))
                .body("credits[1].key", is("newsletter"))
                .body("credits[1].conversions", closeTo(1.6, EPSILON))
                .body("credits[1].cost", is((Object) null));
    }

    @Test
    @Order(2)
    void markovReportShowsTheChainAndItsRemovalEffects() {
        api().get("/api/reports/markov?dimension=campaign&" + RANGE).then().statusCode(200)
                .body("order", is(1))
                .body("solver", is("direct"))
                .body("conversionProbability", closeTo(0.8, EPSILON))
                .body("removalEffects.find { it.key == 'google-search' }.conversions", closeTo(0.75, EPSILON))
                .body("removalEffects.find { it.key == 'newsletter' }.conversions", closeTo(0.5, EPSILON))
                .body("matrix['(start)']['google-search']", closeTo(0.8, EPSILON))
                .body("matrix['google-search']['(conversion)']", closeTo(0.5, EPSILON))
                .body("matrix['google-search']['newsletter']", closeTo(0.25, EPSILON))
                .body("matrix['google-search']['(null)']", closeTo(0.25, EPSILON))
                .body("matrix['newsletter']['(conversion)']", closeTo(1.0, EPSILON));
    }

    /**
     * By channel the web order is a touch of its own: ad→web ×2, email→web, ad→email→web, ad→null. Markov:
     * P = 0.8; without ad 0.2, without email 0.4, without web 0 → effects 0.75, 0.5, 1 → 4 × effect / 2.25.
     */
    @Test
    @Order(3)
    void modelsSideBySideByChannel() {
        var comparison = api().get("/api/reports/comparison?models=first,last,linear,markov,shapley&" + RANGE)
                .then().statusCode(200)
                .body("models", hasSize(5))
                .body("rows", hasSize(3))
                .extract().jsonPath();
        assertThat(comparison.getDouble("rows.find { it.key == 'ad' }.credits.first.conversions"))
                .isCloseTo(3, within());
        assertThat(comparison.getDouble("rows.find { it.key == 'email' }.credits.first.conversions"))
                .isCloseTo(1, within());
        assertThat(comparison.getDouble("rows.find { it.key == 'web' }.credits.last.conversions"))
                .isCloseTo(4, within());
        assertThat(comparison.getDouble("rows.find { it.key == 'ad' }.credits.linear.conversions"))
                .isCloseTo(1 + 1 / 3.0, within());
        assertThat(comparison.getDouble("rows.find { it.key == 'email' }.credits.linear.conversions"))
                .isCloseTo(0.5 + 1 / 3.0, within());
        assertThat(comparison.getDouble("rows.find { it.key == 'ad' }.credits.markov.conversions"))
                .isCloseTo(4 * 0.75 / 2.25, within());
        assertThat(comparison.getDouble("rows.find { it.key == 'web' }.credits.markov.conversions"))
                .isCloseTo(4 / 2.25, within());
        // Shapley: {ad, web} ×2 → ½ each; {email, web} → ½; {ad, email, web} → ⅓
        assertThat(comparison.getDouble("rows.find { it.key == 'web' }.credits.shapley.conversions"))
                .isCloseTo(1.5 + 1 / 3.0, within());
        assertThat(comparison.getString("methods.shapley")).startsWith("exact");
    }

    @Test
    @Order(4)
    void creditExportsAsCsv() {
        String csv = api().accept("text/csv").get("/api/reports/credit?model=markov&dimension=campaign&" + RANGE)
                .then().statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("Content-Disposition", containsString("credit-markov-campaign.csv"))
                .extract().asString();
        assertThat(csv.split("\r\n")).containsExactly("key,conversions,value,share,cost,roas",
                "google-search,2.4,240,0.6,8.0000,30", "newsletter,1.6,160,0.4,,");

        api().get("/api/reports/markov?format=csv&dimension=campaign&" + RANGE).then().statusCode(200)
                .contentType(startsWith("text/csv"))
                .body(containsString("(start),google-search,4,0.8\r\n"));
        api().get("/api/reports/comparison?format=csv&models=first,last&" + RANGE).then().statusCode(200)
                .body(startsWith("key,first_conversions,first_value,last_conversions,last_value\r\n"));
    }

    @Test
    @Order(5)
    void kpisOfTheSameJourneys() {
        api().get("/api/kpis?" + RANGE).then().statusCode(200)
                .body("population", is("all"))
                // every converting journey spans two channels or more; the one that did not is single-channel
                .body("crossChannel.conversions", is(4))
                .body("crossChannel.multiChannelConversions", is(4))
                .body("crossChannel.multiChannelShare", closeTo(1, EPSILON))
                .body("crossChannel.multiChannelJourneys", is(4))
                .body("crossChannel.singleChannelJourneys", is(1))
                .body("crossChannel.singleChannelConversionRate", closeTo(0, EPSILON))
                // the four web orders are four web visits of four profiles
                .body("visitFrequency.visits", is(4))
                .body("visitFrequency.profiles", is(4))
                .body("lifetimeValue.customers", is(4))
                .body("lifetimeValue.revenue", closeTo(400, EPSILON))
                .body("lifetimeValue.historicPerCustomer", closeTo(100, EPSILON))
                .body("lifetimeValue.repeatRate", closeTo(0, EPSILON))
                .body("lifetimeValue.expectedLifespanYears", closeTo(1, EPSILON))
                // linear gives the ad channel 1⅓ conversions of 100 → 133.33 for a spend of 8.00
                .body("roas.model", is("linear"))
                .body("roas.keys", hasSize(1))
                .body("roas.keys[0].key", is("ad"))
                .body("roas.keys[0].roas", closeTo(400 / 3.0 / 8, 1e-5));
    }

    /** p1 (ad→web) and p3 (email→web) are VIPs; p4 alone is ad→email→web. */
    @Test
    @Order(6)
    void kpisOfASegmentAndOfAProfile() {
        produce(kafka, Events.segmentEntered(p1, "vip"), Events.segmentEntered(p3, "vip"));
        await().atMost(WAIT).untilAsserted(() -> api().get("/api/kpis?segmentId=vip&" + RANGE).then()
                .statusCode(200)
                .body("population", is("segment:vip"))
                .body("lifetimeValue.customers", is(2)));
        api().get("/api/kpis?segmentId=vip&" + RANGE).then()
                .body("crossChannel.conversions", is(2))
                .body("visitFrequency.profiles", is(2))
                .body("lifetimeValue.revenue", closeTo(200, EPSILON));
        api().get("/api/kpis?profileId=" + p4 + "&" + RANGE).then().statusCode(200)
                .body("population", is("profile:" + p4))
                .body("crossChannel.conversions", is(1))
                .body("lifetimeValue.customers", is(1))
                // the ad click of p4 cost 2.00; linear gives ad a third of its 100
                .body("roas.keys[0].cost", closeTo(2, EPSILON))
                .body("roas.keys[0].roas", closeTo(100 / 3.0 / 2, 1e-5));
    }

    /** A new conversion flows into the next report: M→conv once more makes the two campaigns equal. */
    @Test
    @Order(7)
    void reportsFollowNewEvents() {
        String p6 = Events.newProfile();
        produce(kafka, emailClick(p6, "2025-03-12T10:00:00Z"),
                order(p6, "2025-03-12T10:10:00Z", "newsletter", NEWSLETTER));
        await().atMost(WAIT).untilAsserted(() -> api()
                .get("/api/reports/credit?model=markov&dimension=campaign&" + RANGE).then().statusCode(200)
                .body("conversions", is(5.0))
                .body("credits.find { it.key == 'google-search' }.conversions", closeTo(2.5, EPSILON))
                .body("credits.find { it.key == 'newsletter' }.conversions", closeTo(2.5, EPSILON)));
        // a shorter window leaves the early journeys out
        api().get("/api/reports/credit?model=last&dimension=campaign&from=2025-03-09&to=2025-03-31").then()
                .body("journeys", is(3))
                .body("conversions", is(2.0));
    }

    private static RequestSpecification api() {
        return given().config(DOUBLES);
    }

    private static Offset<Double> within() {
        return Offset.offset(EPSILON);
    }

    private static CloudEvent<InteractionRecorded> adClick(String profile, String at) {
        return Events.interaction(profile, Channel.AD, "track", "ad_clicked", Instant.parse(at),
                Map.of("source", "google", "medium", "cpc", "cost", 2.0), null, "google-search");
    }

    private static CloudEvent<?> emailClick(String profile, String at) {
        return Events.message(EventType.MESSAGE_CLICKED, profile, Channel.EMAIL, "newsletter", Instant.parse(at));
    }

    private static CloudEvent<InteractionRecorded> order(String profile, String at, String campaign,
            Map<String, Object> utm) {
        return Events.interaction(profile, Channel.WEB, "track", "order_completed", Instant.parse(at), utm,
                new BigDecimal("100.00"), campaign);
    }
}
