package dev.omni.attribution.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A→B→C→D converts for 100, B for 50, C→A for 10; A→D does not convert (and so plays no part).
 */
class HeuristicModelTest {

    private static final double EXACT = 1e-12;

    private static Journeys journeys() {
        return Journeys.builder()
                .add(List.of("A", "B", "C", "D"), true, 100)
                .add(List.of("B"), true, 50)
                .add(List.of("C", "A"), true, 10)
                .add(List.of("A", "D"), false, 0)
                .build();
    }

    @Test
    void firstTouchTakesAll() {
        Attribution credit = HeuristicModel.firstTouch().attribute(journeys());
        assertCredit(credit, new double[] {1, 1, 1, 0}, new double[] {100, 50, 10, 0});
    }

    @Test
    void lastTouchTakesAll() {
        Attribution credit = HeuristicModel.lastTouch().attribute(journeys());
        assertCredit(credit, new double[] {1, 1, 0, 1}, new double[] {10, 50, 0, 100});
    }

    @Test
    void linearSharesEqually() {
        Attribution credit = HeuristicModel.linear().attribute(journeys());
        // A: ¼ + ½, B: ¼ + 1, C: ¼ + ½, D: ¼
        assertCredit(credit, new double[] {0.75, 1.25, 0.75, 0.25}, new double[] {30, 75, 30, 25});
    }

    @Test
    void positionBasedGivesFortyTwentyFortyAndHalvesTwoTouches() {
        Attribution credit = HeuristicModel.positionBased().attribute(journeys());
        // A→B→C→D: .4 .1 .1 .4; B: 1; C→A: .5 .5
        assertCredit(credit, new double[] {0.9, 1.1, 0.6, 0.4}, new double[] {45, 60, 15, 40});
    }

    @Test
    void lastNonDirectSkipsDirectTouches() {
        Journeys journeys = Journeys.builder()
                .add(List.of("email", "direct"), true, 80)
                .add(List.of("direct", "ad", "direct", "direct"), true, 20)
                .add(List.of("direct", "direct"), true, 5)
                .build();
        Attribution credit = HeuristicModel.lastNonDirect(Set.of("direct")).attribute(journeys);
        assertThat(credit.conversions("email")).isCloseTo(1, within(EXACT));
        assertThat(credit.conversions("ad")).isCloseTo(1, within(EXACT));
        // all direct: the last touch keeps the credit
        assertThat(credit.conversions("direct")).isCloseTo(1, within(EXACT));
        assertThat(credit.value("ad")).isCloseTo(20, within(EXACT));
    }

    @Test
    void timeDecayHalvesPerHalfLife() {
        long day = 86_400;
        Journeys.Builder builder = Journeys.builder();
        int a = builder.channel("A");
        int b = builder.channel("B");
        int c = builder.channel("C");
        Journeys journeys = builder.add(new int[] {a, b, c}, new double[] {14 * day, 7 * day, 0}, true, 70).build();

        Attribution credit = HeuristicModel.timeDecay(Duration.ofDays(7)).attribute(journeys);

        // weights 1/4, 1/2, 1 → 1/7, 2/7, 4/7
        assertThat(credit.conversions("A")).isCloseTo(1.0 / 7, within(EXACT));
        assertThat(credit.conversions("B")).isCloseTo(2.0 / 7, within(EXACT));
        assertThat(credit.conversions("C")).isCloseTo(4.0 / 7, within(EXACT));
        assertThat(credit.value("C")).isCloseTo(40, within(1e-9));
    }

    @Test
    void timeDecayOfVeryOldTouchesStillAddsUp() {
        Journeys.Builder builder = Journeys.builder();
        int a = builder.channel("A");
        int b = builder.channel("B");
        Journeys journeys = builder.add(new int[] {a, b}, new double[] {1e12, 1e12 - 3600}, true, 1).build();
        Attribution credit = HeuristicModel.timeDecay(Duration.ofDays(7)).attribute(journeys);
        assertThat(credit.conversions("A") + credit.conversions("B")).isCloseTo(1, within(EXACT));
    }

    @Test
    void positionWeightsAreChecked() {
        assertThatThrownBy(() -> HeuristicModel.positionBased(0.7, 0.4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeuristicModel.timeDecay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertCredit(Attribution credit, double[] conversions, double[] values) {
        List<String> channels = List.of("A", "B", "C", "D");
        for (int i = 0; i < channels.size(); i++) {
            assertThat(credit.conversions(channels.get(i))).as("conversions of " + channels.get(i))
                    .isCloseTo(conversions[i], within(EXACT));
            assertThat(credit.value(channels.get(i))).as("value of " + channels.get(i))
                    .isCloseTo(values[i], within(1e-10));
        }
        assertThat(credit.totalConversions()).isEqualTo(3);
        assertThat(credit.totalValue()).isEqualTo(160);
    }
}
