package dev.omni.attribution.journey;

import dev.omni.attribution.profile.AliasMap;
import dev.omni.attribution.touchpoint.ConversionView;
import dev.omni.attribution.touchpoint.TouchpointView;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class JourneyBuilderTest {

    private static final Instant DAY0 = Instant.parse("2025-03-01T00:00:00Z");
    private static final JourneyWindow MARCH = new JourneyWindow(DAY0, Instant.parse("2025-04-01T00:00:00Z"),
            Duration.ofDays(7));

    @Test
    void aConversionOwnsTheTouchesOfItsLookbackSinceThePreviousConversion() {
        List<TouchpointView> touches = List.of(
                touch("p", "ad", 1), touch("p", "email", 9), touch("p", "web", 10),
                touch("p", "store", 12), touch("p", "web", 14));
        List<ConversionView> conversions = List.of(conversion("p", 10, "50"), conversion("p", 14, "20"));

        List<Journey> journeys = JourneyBuilder.build(touches, conversions, AliasMap.empty(), MARCH);

        assertThat(journeys).hasSize(2);
        // the ad touch of day 1 is more than 7 days before the conversion of day 10
        assertThat(channels(journeys.get(0))).containsExactly("email", "web");
        assertThat(journeys.get(0).conversion().value()).isEqualByComparingTo("50");
        // the touch at the first conversion's instant belongs to it, not to the next one
        assertThat(channels(journeys.get(1))).containsExactly("store", "web");
    }

    @Test
    void touchesAfterTheLastConversionAreAJourneyWithoutOne() {
        List<TouchpointView> touches = List.of(touch("p", "web", 2), touch("p", "ad", 3), touch("p", "email", 20),
                touch("p", "sms", 25));
        List<Journey> journeys = JourneyBuilder.build(touches, List.of(conversion("p", 3, "10")), AliasMap.empty(),
                MARCH);

        assertThat(journeys).hasSize(2);
        Journey lost = journeys.get(1);
        assertThat(lost.converted()).isFalse();
        assertThat(lost.end()).isEqualTo(day(25));
        assertThat(channels(lost)).containsExactly("email", "sms");
    }

    @Test
    void onlyJourneysEndingInTheWindowCount() {
        JourneyWindow secondHalf = new JourneyWindow(day(15), day(31), Duration.ofDays(30));
        List<TouchpointView> touches = List.of(touch("p", "ad", 1), touch("p", "web", 10), touch("q", "email", 12),
                touch("q", "web", 16));
        List<ConversionView> conversions = List.of(conversion("p", 10, "5"), conversion("q", 16, "7"));

        List<Journey> journeys = JourneyBuilder.build(touches, conversions, AliasMap.empty(), secondHalf);

        assertThat(journeys).hasSize(1);
        assertThat(journeys.get(0).profileId()).isEqualTo("q");
        // the touch of day 12 is before the window but inside the lookback
        assertThat(channels(journeys.get(0))).containsExactly("email", "web");
    }

    @Test
    void mergedProfilesShareTheirJourneys() {
        List<TouchpointView> touches = List.of(touch("anonymous", "ad", 4), touch("known", "email", 5));
        List<ConversionView> conversions = List.of(conversion("known", 6, "30"));

        List<Journey> apart = JourneyBuilder.build(touches, conversions, AliasMap.empty(), MARCH);
        List<Journey> merged = JourneyBuilder.build(touches, conversions,
                new AliasMap(Map.of("anonymous", "known")), MARCH);

        assertThat(apart).hasSize(2);
        assertThat(merged).hasSize(1);
        assertThat(merged.get(0).profileId()).isEqualTo("known");
        assertThat(channels(merged.get(0))).containsExactly("ad", "email");
    }

    @Test
    void aConversionWithoutTouchesIsKeptEmpty() {
        List<Journey> journeys = JourneyBuilder.build(List.of(), List.of(conversion("p", 3, "9")), AliasMap.empty(),
                MARCH);
        assertThat(journeys).hasSize(1);
        assertThat(journeys.get(0).touches()).isEmpty();
    }

    @Test
    void theOrderRowsArriveInChangesNothing() {
        List<TouchpointView> touches = new ArrayList<>();
        List<ConversionView> conversions = new ArrayList<>();
        Random random = new Random(3);
        String[] channels = {"web", "ad", "email", "store", "sms"};
        for (int i = 0; i < 300; i++) {
            String profile = "p" + random.nextInt(20);
            // equal instants on purpose: ties are broken by id, not by arrival
            touches.add(touch(profile, channels[random.nextInt(channels.length)], random.nextInt(30)));
            if (random.nextInt(6) == 0) {
                conversions.add(conversion(profile, random.nextInt(30), "10"));
            }
        }
        AliasMap aliases = new AliasMap(Map.of("p1", "p2", "p3", "p2"));
        List<Journey> expected = JourneyBuilder.build(touches, conversions, aliases, MARCH);
        for (int round = 0; round < 5; round++) {
            Collections.shuffle(touches, random);
            Collections.shuffle(conversions, random);
            assertThat(JourneyBuilder.build(touches, conversions, aliases, MARCH)).isEqualTo(expected);
        }
    }

    @Test
    void sameLabelTouchesOfOneVisitAreOneTouch() {
        Instant t = day(5);
        List<TouchpointView> touches = List.of(
                touch("p", "web", t), touch("p", "web", t.plusSeconds(600)), touch("p", "web", t.plusSeconds(1200)),
                touch("p", "email", t.plusSeconds(1500)), touch("p", "web", t.plusSeconds(1600)),
                touch("p", "web", t.plusSeconds(1600 + 3600)));
        Journey journey = new Journey("p", conversion("p", t.plusSeconds(1600 + 3600), "10"), touches,
                t.plusSeconds(1600 + 3600));

        JourneyPaths paths = JourneyPaths.of(List.of(journey), Dimension.CHANNEL, Duration.ofMinutes(30));

        var journeys = paths.journeys();
        assertThat(journeys.length(0)).isEqualTo(4);
        List<String> labels = new ArrayList<>();
        for (int i = journeys.start(0); i < journeys.end(0); i++) {
            labels.add(journeys.channels().get(journeys.touch(i)));
        }
        assertThat(labels).containsExactly("web", "email", "web", "web");
        // the merged visit is aged by its latest touch
        assertThat(journeys.age(0)).isEqualTo(1600 + 3600 - 1200);
    }

    @Test
    void dimensionsLabelDirectVisitsCampaignsAndSources() {
        TouchpointView direct = new TouchpointView(UUID.randomUUID(), "p", DAY0, "web", true, true, "page", null,
                null, null, null);
        TouchpointView paid = new TouchpointView(UUID.randomUUID(), "p", DAY0, "web", false, true, "page", "sale",
                "google", "cpc", null);
        TouchpointView store = new TouchpointView(UUID.randomUUID(), "p", DAY0, "store", false, false, "visit", null,
                null, null, null);
        assertThat(Dimension.CHANNEL.label(direct)).isEqualTo("direct");
        assertThat(Dimension.CHANNEL.label(paid)).isEqualTo("web");
        assertThat(Dimension.CAMPAIGN.label(paid)).isEqualTo("sale");
        assertThat(Dimension.CAMPAIGN.label(store)).isEqualTo("(none)");
        assertThat(Dimension.SOURCE_MEDIUM.label(paid)).isEqualTo("google / cpc");
        assertThat(Dimension.SOURCE_MEDIUM.label(direct)).isEqualTo("(direct) / (none)");
        assertThat(Dimension.SOURCE_MEDIUM.label(store)).isEqualTo("store / (none)");
    }

    private static List<String> channels(Journey journey) {
        return journey.touches().stream().map(TouchpointView::channel).toList();
    }

    private static Instant day(int day) {
        return DAY0.plus(Duration.ofDays(day - 1)).plusSeconds(12 * 3600);
    }

    private static TouchpointView touch(String profile, String channel, int day) {
        return touch(profile, channel, day(day));
    }

    private static TouchpointView touch(String profile, String channel, Instant at) {
        return new TouchpointView(UUID.randomUUID(), profile, at, channel, false, true, "page", null, null, null,
                null);
    }

    private static ConversionView conversion(String profile, int day, String value) {
        return conversion(profile, day(day), value);
    }

    private static ConversionView conversion(String profile, Instant at, String value) {
        return new ConversionView(UUID.randomUUID(), profile, at, new BigDecimal(value), "EUR", "web", true,
                "order_completed", null);
    }
}
