package dev.omni.attribution.model;

import java.util.Arrays;
import java.util.List;

/**
 * The ordered Shapley value (Zhao et al. 2018, section 3.3): the simplified Shapley value split further by the
 * position at which a channel joined the journey. Each converting journey is read as the ordered sequence of its
 * distinct channels, by first appearance ({@code A B A C} is {@code A, B, C}); with {@code k} of them, the channel at
 * position {@code j} gets {@code R/k} at position j, where R is the conversion (1) or its value:
 *
 * <p>{@code φ_i^j = Σ_{S : S_j = i} R(S) / |S|}, and {@code φ_i = Σ_j φ_i^j}.
 *
 * <p>Summed over positions it is the simplified Shapley value, which for the worth {@code v(S) = Σ_{T ⊆ S} R(T)}
 * equals the exact one; the positions show whether a channel opens journeys or closes them. One pass over the
 * journeys, any number of channels: the scalable form for more channels than the exact computation allows.
 */
public final class OrderedShapleyModel implements AttributionModel {

    @Override
    public String name() {
        return "shapley-ordered";
    }

    @Override
    public Attribution attribute(Journeys journeys) {
        return analyse(journeys).attribution();
    }

    /**
     * @param conversions  [channel][position - 1]: the share of the conversions the channel got at that position
     * @param values       the same for conversion value
     * @param attribution  per channel, summed over positions
     */
    public record Result(List<String> channels, int positions, double[][] conversions, double[][] values,
            Attribution attribution) {

        public double conversions(String channel, int position) {
            return conversions[channels.indexOf(channel)][position - 1];
        }

        public double value(String channel, int position) {
            return values[channels.indexOf(channel)][position - 1];
        }
    }

    public Result analyse(Journeys journeys) {
        int channels = journeys.channelCount();
        int positions = 0;
        boolean[] seen = new boolean[channels];
        int[] distinct = new int[Math.max(channels, 1)];
        // positions needed: the most distinct channels of any converting journey
        for (int j = 0; j < journeys.size(); j++) {
            if (journeys.converted(j)) {
                positions = Math.max(positions, distinctChannels(journeys, j, seen, distinct));
            }
        }
        double[][] conversions = new double[channels][positions];
        double[][] values = new double[channels][positions];
        for (int j = 0; j < journeys.size(); j++) {
            if (!journeys.converted(j)) {
                continue;
            }
            int size = distinctChannels(journeys, j, seen, distinct);
            double value = journeys.value(j);
            for (int k = 0; k < size; k++) {
                conversions[distinct[k]][k] += 1.0 / size;
                values[distinct[k]][k] += value / size;
            }
        }
        double[] total = new double[channels];
        double[] totalValue = new double[channels];
        for (int c = 0; c < channels; c++) {
            total[c] = Arrays.stream(conversions[c]).sum();
            totalValue[c] = Arrays.stream(values[c]).sum();
        }
        Attribution attribution = new Attribution(name(), "ordered simplified Shapley, " + positions + " positions",
                journeys.channels(), total, totalValue, journeys.totalConversions(), journeys.totalValue());
        return new Result(journeys.channels(), positions, conversions, values, attribution);
    }

    /** Fills {@code distinct} with the journey's channels by first appearance; returns how many. */
    private static int distinctChannels(Journeys journeys, int journey, boolean[] seen, int[] distinct) {
        int size = 0;
        for (int i = journeys.start(journey); i < journeys.end(journey); i++) {
            int channel = journeys.touch(i);
            if (!seen[channel]) {
                seen[channel] = true;
                distinct[size++] = channel;
            }
        }
        for (int k = 0; k < size; k++) {
            seen[distinct[k]] = false;
        }
        return size;
    }
}
