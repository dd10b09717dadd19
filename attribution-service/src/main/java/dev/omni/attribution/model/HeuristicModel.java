package dev.omni.attribution.model;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

/**
 * The rule-based models: each converting journey's one conversion (and its value) is split over its touches by
 * fixed weights that add up to 1, and a channel gets the sum of the weights of its touches. Non-converting journeys
 * play no part. O(touches).
 */
public final class HeuristicModel implements AttributionModel {

    /** Fills {@code weights[0 .. length-1]} for the touches of one journey; they must add up to 1. */
    @FunctionalInterface
    interface Weigher {
        void weigh(Journeys journeys, int journey, double[] weights);
    }

    private final String name;
    private final String method;
    private final Weigher weigher;

    private HeuristicModel(String name, String method, Weigher weigher) {
        this.name = name;
        this.method = method;
        this.weigher = weigher;
    }

    /** All credit to the first touch. */
    public static HeuristicModel firstTouch() {
        return new HeuristicModel("first", "first touch", (journeys, journey, weights) -> weights[0] = 1);
    }

    /** All credit to the last touch. */
    public static HeuristicModel lastTouch() {
        return new HeuristicModel("last", "last touch",
                (journeys, journey, weights) -> weights[journeys.length(journey) - 1] = 1);
    }

    /**
     * All credit to the last touch that is not direct; to the last touch when every touch is direct.
     *
     * @param directChannels labels of direct touches (a visit nobody sent), e.g. {@code direct}
     */
    public static HeuristicModel lastNonDirect(Set<String> directChannels) {
        return new HeuristicModel("last-non-direct", "last non-direct touch, direct = " + directChannels,
                (journeys, journey, weights) -> {
                    int start = journeys.start(journey);
                    int last = journeys.length(journey) - 1;
                    for (int i = last; i >= 0; i--) {
                        if (!directChannels.contains(journeys.channels().get(journeys.touch(start + i)))) {
                            weights[i] = 1;
                            return;
                        }
                    }
                    weights[last] = 1;
                });
    }

    /** Equal credit to every touch: 1/m each. */
    public static HeuristicModel linear() {
        return new HeuristicModel("linear", "equal share per touch", (journeys, journey, weights) -> {
            int length = journeys.length(journey);
            for (int i = 0; i < length; i++) {
                weights[i] = 1.0 / length;
            }
        });
    }

    /** 40 % first, 40 % last, 20 % shared by the touches between; 50/50 for two touches. */
    public static HeuristicModel positionBased() {
        return positionBased(0.4, 0.4);
    }

    /**
     * {@code first} to the first touch, {@code last} to the last, the rest shared equally by the touches between;
     * two touches split in the ratio first : last, one touch takes all.
     */
    public static HeuristicModel positionBased(double first, double last) {
        if (!(first >= 0 && last >= 0 && first + last <= 1 && first + last > 0)) {
            throw new IllegalArgumentException("position weights are ≥ 0, add up to at most 1 and not both 0");
        }
        return new HeuristicModel("position-based",
                "first " + first + ", last " + last + ", middle " + (Math.round((1 - first - last) * 1e6) / 1e6),
                (journeys, journey, weights) -> {
                    int length = journeys.length(journey);
                    if (length == 1) {
                        weights[0] = 1;
                    } else if (length == 2) {
                        weights[0] = first / (first + last);
                        weights[1] = last / (first + last);
                    } else {
                        double middle = (1 - first - last) / (length - 2);
                        weights[0] = first;
                        weights[length - 1] = last;
                        for (int i = 1; i < length - 1; i++) {
                            weights[i] = middle;
                        }
                    }
                });
    }

    /**
     * Touch {@code i} weighs {@code 2^(-age_i / halfLife)}, normalised over the journey: a touch one half-life
     * before the conversion counts half as much as one at the conversion.
     */
    public static HeuristicModel timeDecay(Duration halfLife) {
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("the half-life is positive");
        }
        double halfLifeSeconds = halfLife.toNanos() / 1e9;
        return new HeuristicModel("time-decay", "half-life " + halfLife, (journeys, journey, weights) -> {
            int start = journeys.start(journey);
            int length = journeys.length(journey);
            double youngest = Double.MAX_VALUE;
            for (int i = 0; i < length; i++) {
                youngest = Math.min(youngest, journeys.age(start + i));
            }
            double sum = 0;
            for (int i = 0; i < length; i++) {
                // relative to the youngest touch, so very old journeys do not underflow to all-zero weights
                weights[i] = Math.pow(2, -(journeys.age(start + i) - youngest) / halfLifeSeconds);
                sum += weights[i];
            }
            for (int i = 0; i < length; i++) {
                weights[i] /= sum;
            }
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Attribution attribute(Journeys journeys) {
        int channels = journeys.channelCount();
        double[] conversions = new double[channels];
        double[] values = new double[channels];
        double[] weights = new double[16];
        for (int j = 0; j < journeys.size(); j++) {
            if (!journeys.converted(j)) {
                continue;
            }
            int length = journeys.length(j);
            if (weights.length < length) {
                weights = new double[Math.max(length, weights.length * 2)];
            }
            Arrays.fill(weights, 0, length, 0);
            weigher.weigh(journeys, j, weights);
            int start = journeys.start(j);
            double value = journeys.value(j);
            for (int i = 0; i < length; i++) {
                int channel = journeys.touch(start + i);
                conversions[channel] += weights[i];
                values[channel] += weights[i] * value;
            }
        }
        return new Attribution(name, method, journeys.channels(), conversions, values, journeys.totalConversions(),
                journeys.totalValue());
    }
}
