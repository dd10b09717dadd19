package dev.omni.attribution.synthetic;

import dev.omni.attribution.model.Journeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class SyntheticJourneysTest {

    @Test
    void journeysHaveTheAdvertisedShape() {
        Journeys journeys = new SyntheticJourneys().generate(1, 200_000);

        assertThat(journeys.size()).isEqualTo(200_000);
        assertThat(journeys.channels()).hasSize(20);
        int[] touchesPerChannel = new int[20];
        int converted = 0;
        for (int j = 0; j < journeys.size(); j++) {
            assertThat(journeys.length(j)).isBetween(1, 8);
            for (int i = journeys.start(j); i < journeys.end(j); i++) {
                touchesPerChannel[journeys.touch(i)]++;
            }
            assertThat(journeys.age(journeys.end(j) - 1)).isZero();
            if (journeys.converted(j)) {
                converted++;
                assertThat(journeys.value(j)).isPositive();
            }
        }
        assertThat(converted / 200_000.0).isCloseTo(0.18, offset(0.01));
        // skewed: the most frequent channel is met several times as often as the rarest
        assertThat(touchesPerChannel[0]).isGreaterThan(10 * touchesPerChannel[19]);
        assertThat(touchesPerChannel[19]).isPositive();
    }

    @Test
    void sameSeedSameJourneys() {
        SyntheticJourneys generator = new SyntheticJourneys();
        Journeys first = generator.generate(77, 1_000);
        Journeys second = new SyntheticJourneys().generate(77, 1_000);
        Journeys other = generator.generate(78, 1_000);
        assertThat(second.touchCount()).isEqualTo(first.touchCount());
        for (int i = 0; i < first.touchCount(); i++) {
            assertThat(second.touch(i)).isEqualTo(first.touch(i));
        }
        assertThat(second.totalValue()).isEqualTo(first.totalValue());
        assertThat(other.totalValue()).isNotEqualTo(first.totalValue());
    }
}
