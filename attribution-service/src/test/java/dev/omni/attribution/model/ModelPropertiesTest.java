package dev.omni.attribution.model;

import dev.omni.attribution.synthetic.SyntheticJourneys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static dev.omni.attribution.model.MarkovModelTest.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** What holds for every model: credits add up, and the order journeys arrive in changes nothing. */
class ModelPropertiesTest {

    private static List<AttributionModel> models() {
        return List.of(HeuristicModel.firstTouch(), HeuristicModel.lastTouch(),
                HeuristicModel.lastNonDirect(Set.of("channel-00")), HeuristicModel.linear(),
                HeuristicModel.positionBased(), HeuristicModel.timeDecay(Duration.ofDays(7)), new MarkovModel(1),
                new MarkovModel(2), new MarkovModel(3), new ShapleyModel());
    }

    @Test
    void everyModelSharesExactlyTheConversionsAndTheirValue() {
        Journeys journeys = new SyntheticJourneys(10, 0.18).generate(42, 30_000);
        for (AttributionModel model : models()) {
            Attribution credit = model.attribute(journeys);
            assertThat(sum(credit.conversions())).as(model.name())
                    .isCloseTo(journeys.totalConversions(), offset(1e-6));
            assertThat(sum(credit.values())).as(model.name()).isCloseTo(journeys.totalValue(), offset(1e-4));
            for (double conversions : credit.conversions()) {
                assertThat(conversions).as(model.name()).isGreaterThanOrEqualTo(-1e-12);
            }
        }
    }

    @Test
    void noJourneysNoCredit() {
        Journeys none = Journeys.builder().build();
        for (AttributionModel model : models()) {
            Attribution credit = model.attribute(none);
            assertThat(credit.channels()).as(model.name()).isEmpty();
            assertThat(credit.totalConversions()).isZero();
        }
        Journeys lost = Journeys.builder().add(List.of("A", "B"), false, 0).build();
        for (AttributionModel model : models()) {
            assertThat(model.attribute(lost).conversions()).as(model.name()).containsOnly(0.0);
        }
    }

    @Test
    void resultsDoNotDependOnTheOrderOfJourneys() {
        Journeys journeys = new SyntheticJourneys(10, 0.18).generate(9, 10_000);
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < journeys.size(); j++) {
            order.add(j);
        }
        Collections.shuffle(order, new Random(1));
        // a fresh builder whose channel ids are registered in another order too
        Journeys.Builder builder = Journeys.builder();
        List<String> reversed = new ArrayList<>(journeys.channels());
        Collections.reverse(reversed);
        builder.channels(reversed);
        for (int j : order) {
            int[] path = new int[journeys.length(j)];
            double[] ages = new double[path.length];
            for (int i = 0; i < path.length; i++) {
                path[i] = builder.channel(journeys.channels().get(journeys.touch(journeys.start(j) + i)));
                ages[i] = journeys.age(journeys.start(j) + i);
            }
            builder.add(path, ages, journeys.converted(j), journeys.value(j));
        }
        Journeys shuffled = builder.build();

        for (AttributionModel model : models()) {
            Attribution original = model.attribute(journeys);
            Attribution reordered = model.attribute(shuffled);
            for (String channel : journeys.channels()) {
                assertThat(reordered.conversions(channel)).as(model.name() + " " + channel)
                        .isCloseTo(original.conversions(channel), offset(1e-9));
                assertThat(reordered.value(channel)).as(model.name() + " " + channel)
                        .isCloseTo(original.value(channel), offset(1e-7));
            }
        }
    }
}
