package dev.omni.attribution.model;

import dev.omni.attribution.synthetic.SyntheticJourneys;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.omni.attribution.model.MarkovModelTest.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Offset.offset;

class OrderedShapleyModelTest {

    private static final double EXACT = 1e-12;

    /**
     * Distinct channels by first appearance: {A} (10), {A} (20), (B, A) (60), (C, B) (40); D never converts.
     * A: position 1 gets 1 + 1 = 2 (value 30), position 2 gets ½ (value 30); B: position 1 ½ (30), position 2 ½ (20);
     * C: position 1 ½ (20).
     */
    @Test
    void handComputedCase() {
        Journeys journeys = Journeys.builder()
                .add(List.of("A"), true, 10)
                .add(List.of("A", "A"), true, 20)
                .add(List.of("B", "A"), true, 60)
                .add(List.of("C", "B", "C"), true, 40)
                .add(List.of("D", "A"), false, 0)
                .build();

        OrderedShapleyModel.Result result = new OrderedShapleyModel().analyse(journeys);

        assertThat(result.positions()).isEqualTo(2);
        assertThat(result.conversions("A", 1)).isCloseTo(2.0, within(EXACT));
        assertThat(result.conversions("A", 2)).isCloseTo(0.5, within(EXACT));
        assertThat(result.conversions("B", 1)).isCloseTo(0.5, within(EXACT));
        assertThat(result.conversions("B", 2)).isCloseTo(0.5, within(EXACT));
        assertThat(result.conversions("C", 1)).isCloseTo(0.5, within(EXACT));
        assertThat(result.conversions("C", 2)).isZero();
        assertThat(result.conversions("D", 1)).isZero();
        assertThat(result.value("A", 1)).isCloseTo(30, within(1e-10));
        assertThat(result.value("A", 2)).isCloseTo(30, within(1e-10));
        assertThat(result.value("B", 1)).isCloseTo(30, within(1e-10));
        assertThat(result.value("B", 2)).isCloseTo(20, within(1e-10));
        assertThat(result.value("C", 1)).isCloseTo(20, within(1e-10));
        // summed over positions: the Shapley values of ShapleyModelTest's hand-computed case
        Attribution credit = result.attribution();
        assertThat(credit.conversions("A")).isCloseTo(2.5, within(EXACT));
        assertThat(credit.conversions("B")).isCloseTo(1.0, within(EXACT));
        assertThat(credit.conversions("C")).isCloseTo(0.5, within(EXACT));
    }

    @Test
    void efficiencyCreditsAddUpToTheTotalBeyondTheExactLimit() {
        Journeys journeys = new SyntheticJourneys(40, 0.2).generate(3, 40_000);
        OrderedShapleyModel.Result result = new OrderedShapleyModel().analyse(journeys);
        double conversions = 0;
        double value = 0;
        for (int c = 0; c < journeys.channelCount(); c++) {
            conversions += sum(result.conversions()[c]);
            value += sum(result.values()[c]);
        }
        assertThat(conversions).isCloseTo(journeys.totalConversions(), offset(1e-6));
        assertThat(value).isCloseTo(journeys.totalValue(), offset(1e-4));
        assertThat(sum(result.attribution().conversions())).isCloseTo(journeys.totalConversions(), offset(1e-6));
        assertThat(result.positions()).isBetween(2, SyntheticJourneys.MAX_LENGTH);
    }

    @Test
    void symmetricChannelsGetEqualCreditAtEveryPosition() {
        // X and Y are interchangeable, in order too: every journey has a mirror with X and Y swapped
        Journeys journeys = Journeys.builder()
                .add(List.of("X", "Z"), true, 30)
                .add(List.of("Y", "Z"), true, 30)
                .add(List.of("X", "Y"), true, 12)
                .add(List.of("Y", "X"), true, 12)
                .add(List.of("Z", "X", "W"), true, 7)
                .add(List.of("Z", "Y", "W"), true, 7)
                .build();
        OrderedShapleyModel.Result result = new OrderedShapleyModel().analyse(journeys);
        for (int position = 1; position <= result.positions(); position++) {
            assertThat(result.conversions("X", position)).isCloseTo(result.conversions("Y", position), within(EXACT));
            assertThat(result.value("X", position)).isCloseTo(result.value("Y", position), within(1e-10));
        }
        assertThat(result.conversions("Z", 1)).isCloseTo(2 / 3.0, within(EXACT));
        assertThat(result.conversions("W", 3)).isCloseTo(2 / 3.0, within(EXACT));
    }

    @Test
    void summedOverPositionsItIsTheExactShapleyValue() {
        Journeys journeys = new SyntheticJourneys(16, 0.25).generate(8, 30_000);
        Attribution exact = new ShapleyModel(20).attribute(journeys);
        Attribution ordered = new OrderedShapleyModel().attribute(journeys);
        assertThat(exact.method()).startsWith("exact");
        for (int c = 0; c < journeys.channelCount(); c++) {
            assertThat(ordered.conversions(c)).isCloseTo(exact.conversions(c), offset(1e-7));
            assertThat(ordered.value(c)).isCloseTo(exact.value(c), offset(1e-5));
        }
    }
}
