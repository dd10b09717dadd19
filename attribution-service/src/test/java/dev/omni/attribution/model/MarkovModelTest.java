package dev.omni.attribution.model;

import dev.omni.attribution.synthetic.SyntheticJourneys;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Offset.offset;

class MarkovModelTest {

    private static final double EXACT = 1e-12;

    /** DESIGN.md: G→conv ×2, M→conv ×1, G→M→conv ×1, G→null ×1. */
    static Journeys designExample() {
        return Journeys.builder()
                .add(List.of("G"), true, 100)
                .add(List.of("G"), true, 100)
                .add(List.of("M"), true, 100)
                .add(List.of("G", "M"), true, 100)
                .add(List.of("G"), false, 0)
                .build();
    }

    @Test
    void designExampleHasTheKnownAnswer() {
        MarkovModel.Result result = new MarkovModel(1).analyse(designExample());

        assertThat(result.conversionProbability()).isCloseTo(0.8, within(EXACT));
        assertThat(result.removalEffect("G")).isCloseTo(0.75, within(EXACT));
        assertThat(result.removalEffect("M")).isCloseTo(0.5, within(EXACT));
        assertThat(result.attribution().conversions("G")).isCloseTo(2.4, within(EXACT));
        assertThat(result.attribution().conversions("M")).isCloseTo(1.6, within(EXACT));
        // every conversion is worth 100, so value follows count
        assertThat(result.attribution().value("G")).isCloseTo(240, within(1e-9));
        assertThat(result.attribution().value("M")).isCloseTo(160, within(1e-9));
        assertThat(result.solver()).isEqualTo("direct");
    }

    @Test
    void designExampleTransitionMatrix() {
        MarkovModel.Result result = new MarkovModel(1).analyse(designExample());

        assertThat(result.states()).containsExactly(MarkovModel.START, "G", "M");
        assertThat(result.transitions()).contains(
                new MarkovModel.Transition(MarkovModel.START, "G", 4, 0.8),
                new MarkovModel.Transition(MarkovModel.START, "M", 1, 0.2),
                new MarkovModel.Transition("G", "M", 1, 0.25),
                new MarkovModel.Transition("G", MarkovModel.CONVERSION, 2, 0.5),
                new MarkovModel.Transition("G", MarkovModel.NULL, 1, 0.25),
                new MarkovModel.Transition("M", MarkovModel.CONVERSION, 2, 1.0));
        assertThat(result.transitions()).hasSize(6);
    }

    /**
     * A→B→conv ×2 (values 100, 50), A→B→null, B→A→null, A→conv (30). Order 2 states: A, B, A>B, B>A.
     * start→A 0.8, start→B 0.2; A→A>B 0.75, A→conv 0.25; A>B→conv 2/3, →null 1/3; B→B>A 1; B>A→null 1.
     * P = 0.8·(0.25 + 0.75·2/3) = 0.6. Without A: 0, effect 1. Without B: 0.8·0.25 = 0.2, effect 2/3.
     * 3 conversions → A 3·1/(5/3) = 1.8, B 1.2. Value per journey 36; without B 0.8·0.25·30 = 6, effect 5/6;
     * 180 → A 180·6/11, B 180·5/11.
     */
    static Journeys orderTwoExample() {
        return Journeys.builder()
                .add(List.of("A", "B"), true, 100)
                .add(List.of("A", "B"), true, 50)
                .add(List.of("A", "B"), false, 0)
                .add(List.of("B", "A"), false, 0)
                .add(List.of("A"), true, 30)
                .build();
    }

    @Test
    void orderTwoOnAHandCheckedCase() {
        MarkovModel.Result result = new MarkovModel(2).analyse(orderTwoExample());

        assertThat(result.states()).containsExactlyInAnyOrder(MarkovModel.START, "A", "B", "A>B", "B>A");
        assertThat(result.conversionProbability()).isCloseTo(0.6, within(EXACT));
        assertThat(result.valuePerJourney()).isCloseTo(36, within(1e-10));
        assertThat(result.removalEffect("A")).isCloseTo(1, within(EXACT));
        assertThat(result.removalEffect("B")).isCloseTo(2.0 / 3, within(EXACT));
        assertThat(result.valueRemovalEffect("B")).isCloseTo(5.0 / 6, within(EXACT));
        assertThat(result.attribution().conversions("A")).isCloseTo(1.8, within(EXACT));
        assertThat(result.attribution().conversions("B")).isCloseTo(1.2, within(EXACT));
        assertThat(result.attribution().value("A")).isCloseTo(180.0 * 6 / 11, within(1e-9));
        assertThat(result.attribution().value("B")).isCloseTo(180.0 * 5 / 11, within(1e-9));
    }

    /** The same journeys at order 1 (A→B 0.6, A→conv 0.2, B→conv 0.5, B→A 0.25) give other removal effects. */
    @Test
    void orderOneOfTheSameJourneysLoopsBetweenChannels() {
        MarkovModel.Result result = new MarkovModel(1).analyse(orderTwoExample());

        assertThat(result.conversionProbability()).isCloseTo(0.6, within(EXACT));
        assertThat(result.removalEffect("A")).isCloseTo(5.0 / 6, within(EXACT));
        assertThat(result.removalEffect("B")).isCloseTo(1 - 0.16 / 0.6, within(EXACT));
    }

    @Test
    void iterativeSolverAgreesWithTheDirectOne() {
        Journeys journeys = new SyntheticJourneys(6, 0.2).generate(7, 20_000);
        for (int order = 1; order <= 3; order++) {
            MarkovModel.Result direct = new MarkovModel(order).analyse(journeys);
            MarkovModel.Result iterative = new MarkovModel(order, 0).analyse(journeys);
            assertThat(direct.solver()).isEqualTo("direct");
            assertThat(iterative.solver()).isEqualTo("gauss-seidel");
            assertThat(iterative.conversionProbability()).isCloseTo(direct.conversionProbability(), offset(1e-11));
            for (int c = 0; c < journeys.channelCount(); c++) {
                assertThat(iterative.removalEffects()[c]).isCloseTo(direct.removalEffects()[c], offset(1e-10));
                assertThat(iterative.attribution().value(c)).isCloseTo(direct.attribution().value(c),
                        offset(1e-6));
            }
        }
    }

    @Test
    void creditsAddUpToTheTotals() {
        Journeys journeys = new SyntheticJourneys(12, 0.18).generate(3, 20_000);
        for (int order = 1; order <= 3; order++) {
            Attribution attribution = new MarkovModel(order).attribute(journeys);
            assertThat(sum(attribution.conversions())).isCloseTo(journeys.totalConversions(), offset(1e-6));
            assertThat(sum(attribution.values())).isCloseTo(journeys.totalValue(), offset(1e-4));
        }
    }

    @Test
    void orderOutsideOneToThreeIsRefused() {
        assertThatThrownBy(() -> new MarkovModel(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MarkovModel(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noConversionsGiveNoCredit() {
        Journeys journeys = Journeys.builder().add(List.of("A", "B"), false, 0).build();
        MarkovModel.Result result = new MarkovModel(1).analyse(journeys);
        assertThat(result.conversionProbability()).isZero();
        assertThat(result.attribution().conversions()).containsOnly(0.0);
    }

    static double sum(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum;
    }
}
