package dev.omni.attribution.model;

import dev.omni.attribution.synthetic.SyntheticJourneys;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.omni.attribution.model.MarkovModelTest.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Offset.offset;

class ShapleyModelTest {

    private static final double EXACT = 1e-12;

    /**
     * R({A}) = 2 (values 10, 20), R({A,B}) = 1 (value 60), R({B,C}) = 1 (value 40); D only in a journey that did not
     * convert. v(S) = Σ R(T ⊆ S). φ_A = 2 + ½, φ_B = ½ + ½, φ_C = ½; values A 30 + 30, B 30 + 20, C 20.
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

        Attribution credit = new ShapleyModel().attribute(journeys);

        assertThat(credit.method()).startsWith("exact");
        assertThat(credit.conversions("A")).isCloseTo(2.5, within(EXACT));
        assertThat(credit.conversions("B")).isCloseTo(1.0, within(EXACT));
        assertThat(credit.conversions("C")).isCloseTo(0.5, within(EXACT));
        assertThat(credit.conversions("D")).isZero();
        assertThat(credit.value("A")).isCloseTo(60, within(1e-10));
        assertThat(credit.value("B")).isCloseTo(50, within(1e-10));
        assertThat(credit.value("C")).isCloseTo(20, within(1e-10));
    }

    @Test
    void efficiencyCreditsAddUpToTheTotal() {
        Journeys journeys = new SyntheticJourneys(20, 0.18).generate(11, 50_000);
        Attribution credit = new ShapleyModel().attribute(journeys);
        assertThat(credit.method()).isEqualTo("exact, 20 channels, 2^20 coalitions");
        assertThat(sum(credit.conversions())).isCloseTo(journeys.totalConversions(), offset(1e-6));
        assertThat(sum(credit.values())).isCloseTo(journeys.totalValue(), offset(1e-4));
    }

    @Test
    void symmetricChannelsGetEqualCredit() {
        // X and Y are interchangeable: every journey has a mirror with X and Y swapped
        Journeys journeys = Journeys.builder()
                .add(List.of("X", "Z"), true, 30)
                .add(List.of("Y", "Z"), true, 30)
                .add(List.of("X", "Y"), true, 12)
                .add(List.of("Z", "X", "W"), true, 7)
                .add(List.of("Z", "Y", "W"), true, 7)
                .add(List.of("X"), false, 0)
                .build();
        Attribution credit = new ShapleyModel().attribute(journeys);
        assertThat(credit.conversions("X")).isCloseTo(credit.conversions("Y"), within(EXACT));
        assertThat(credit.value("X")).isCloseTo(credit.value("Y"), within(1e-10));
        assertThat(credit.conversions("X")).isNotEqualTo(credit.conversions("Z"));
    }

    @Test
    void simplifiedFormEqualsTheExactValueForThisWorth() {
        Journeys journeys = new SyntheticJourneys(14, 0.25).generate(5, 30_000);
        Attribution exact = new ShapleyModel(20).attribute(journeys);
        Attribution simplified = new ShapleyModel(0).attribute(journeys);
        assertThat(exact.method()).startsWith("exact");
        assertThat(simplified.method()).startsWith("simplified");
        for (int c = 0; c < journeys.channelCount(); c++) {
            assertThat(simplified.conversions(c)).isCloseTo(exact.conversions(c), offset(1e-7));
            assertThat(simplified.value(c)).isCloseTo(exact.value(c), offset(1e-5));
        }
    }

    @Test
    void beyondTheExactLimitTheSimplifiedFormIsUsed() {
        Journeys journeys = new SyntheticJourneys(24, 0.3).generate(2, 20_000);
        Attribution credit = new ShapleyModel().attribute(journeys);
        assertThat(credit.method()).isEqualTo("simplified, 24 channels");
        assertThat(sum(credit.conversions())).isCloseTo(journeys.totalConversions(), offset(1e-6));
    }
}
