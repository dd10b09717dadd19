package dev.omni.attribution.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * Markov-chain attribution of order k (1..3). A state is the last k channels of a journey (fewer at its start);
 * every journey walks (start) → its states → (conversion) or (null), and the transition probabilities are the
 * observed transition counts normalised per state. The chain's conversion probability P is the probability of
 * absorption in (conversion) from (start), solved exactly (see {@link AbsorbingChain}). The removal effect of
 * channel c is {@code 1 - P(without c) / P}, where removing c sends every transition into a state containing c to
 * (null); the conversions are shared in proportion to the removal effects. For value, the conversion edge of a
 * state carries the mean value of the conversions that left through it, so P becomes the expected value per journey
 * and the value removal effects share the total value.
 */
public final class MarkovModel implements AttributionModel {

    public static final int MIN_ORDER = 1;
    public static final int MAX_ORDER = 3;
    public static final String START = "(start)";
    public static final String CONVERSION = "(conversion)";
    public static final String NULL = "(null)";
    /** Separates the channels of a higher-order state's label: {@code google>email}. */
    public static final String SEPARATOR = ">";

    private final int order;
    private final int directLimit;

    public MarkovModel(int order) {
        this(order, AbsorbingChain.DIRECT_LIMIT);
    }

    /** With another threshold between the direct and the iterative solver (tests compare the two). */
    MarkovModel(int order, int directLimit) {
        if (order < MIN_ORDER || order > MAX_ORDER) {
            throw new IllegalArgumentException("order is " + MIN_ORDER + ".." + MAX_ORDER + ", not " + order);
        }
        this.order = order;
        this.directLimit = directLimit;
    }

    @Override
    public String name() {
        return "markov";
    }

    public int order() {
        return order;
    }

    @Override
    public Attribution attribute(Journeys journeys) {
        return analyse(journeys).attribution();
    }

    /** The fitted chain, its removal effects and the attribution they give. */
    public Result analyse(Journeys journeys) {
        return new Fit(journeys).result();
    }

    /** A transition of the fitted chain: how often it was taken and its probability. */
    public record Transition(String from, String to, double count, double probability) {
    }

    /**
     * @param conversionProbability P(conversion) from (start)
     * @param valuePerJourney       the expected conversion value of a journey
     * @param removalEffects        per channel, for conversions
     * @param valueRemovalEffects   per channel, for value
     * @param solver                {@code direct} or {@code gauss-seidel}
     */
    public record Result(int order, List<String> channels, List<String> states, List<Transition> transitions,
            double conversionProbability, double valuePerJourney, double[] removalEffects,
            double[] valueRemovalEffects, String solver, Attribution attribution) {

        public double removalEffect(String channel) {
            return removalEffects[channels.indexOf(channel)];
        }

        public double valueRemovalEffect(String channel) {
            return valueRemovalEffects[channels.indexOf(channel)];
        }
    }

    /** One fit: states, transition counts, the chain and its solutions. */
    private final class Fit {

        private final Journeys journeys;
        private final int channels;
        private final LongIntMap stateIds;
        /** Channels of each state, {@code order} slots each, -1 where a state is shorter (journey start). */
        private int[] stateChannels;
        private int stateCount;
        private final LongIntMap edgeIds;
        private int[] edgeFrom = new int[256];
        private int[] edgeTo = new int[256];
        private double[] edgeCount = new double[256];
        private int edgeCountSize;
        private double[] converted;
        private double[] convertedValue;
        private double[] lost;

        Fit(Journeys journeys) {
            this.journeys = journeys;
            this.channels = journeys.channelCount();
            if (Math.pow(channels + 1.0, order) >= Long.MAX_VALUE / 2.0) {
                throw new IllegalArgumentException("too many channels for order " + order);
            }
            PathTable paths = PathTable.of(journeys);
            stateIds = new LongIntMap(64);
            edgeIds = new LongIntMap(256);
            stateChannels = new int[64 * order];
            converted = new double[64];
            convertedValue = new double[64];
            lost = new double[64];
            state(0L, new int[0], 0, 0);
            int[] window = new int[order];
            for (int p = 0; p < paths.size(); p++) {
                double walked = paths.journeys(p);
                int previous = 0;
                for (int i = paths.start(p); i < paths.end(p); i++) {
                    int from = Math.max(paths.start(p), i - order + 1);
                    long code = 0;
                    int length = 0;
                    for (int k = from; k <= i; k++) {
                        window[length++] = paths.touch(k);
                        code = code * (channels + 1) + paths.touch(k) + 1;
                    }
                    int state = state(code, window, length, stateCount);
                    edge(previous, state, walked);
                    previous = state;
                }
                converted[previous] += paths.conversions(p);
                convertedValue[previous] += paths.values(p);
                lost[previous] += walked - paths.conversions(p);
            }
        }

        private int state(long code, int[] window, int length, int next) {
            int id = stateIds.putIfAbsent(code, next);
            if (id == next) {
                if ((stateCount + 1) * order > stateChannels.length) {
                    stateChannels = Arrays.copyOf(stateChannels, stateChannels.length * 2);
                    converted = Arrays.copyOf(converted, converted.length * 2);
                    convertedValue = Arrays.copyOf(convertedValue, convertedValue.length * 2);
                    lost = Arrays.copyOf(lost, lost.length * 2);
                }
                Arrays.fill(stateChannels, id * order, (id + 1) * order, -1);
                System.arraycopy(window, 0, stateChannels, id * order, length);
                stateCount++;
            }
            return id;
        }

        private void edge(int from, int to, double count) {
            int id = edgeIds.putIfAbsent(((long) from << 32) | to, edgeCountSize);
            if (id == edgeCountSize) {
                if (edgeCountSize == edgeFrom.length) {
                    edgeFrom = Arrays.copyOf(edgeFrom, edgeCountSize * 2);
                    edgeTo = Arrays.copyOf(edgeTo, edgeCountSize * 2);
                    edgeCount = Arrays.copyOf(edgeCount, edgeCountSize * 2);
                }
                edgeFrom[id] = from;
                edgeTo[id] = to;
                edgeCountSize++;
            }
            edgeCount[id] += count;
        }

        Result result() {
            double[] out = new double[stateCount];
            for (int e = 0; e < edgeCountSize; e++) {
                out[edgeFrom[e]] += edgeCount[e];
            }
            for (int s = 0; s < stateCount; s++) {
                out[s] += converted[s] + lost[s];
            }
            int[] rowStart = new int[stateCount + 1];
            for (int e = 0; e < edgeCountSize; e++) {
                rowStart[edgeFrom[e] + 1]++;
            }
            for (int s = 0; s < stateCount; s++) {
                rowStart[s + 1] += rowStart[s];
            }
            int[] fill = Arrays.copyOf(rowStart, stateCount);
            int[] column = new int[edgeCountSize];
            double[] probability = new double[edgeCountSize];
            for (int e = 0; e < edgeCountSize; e++) {
                int slot = fill[edgeFrom[e]]++;
                column[slot] = edgeTo[e];
                probability[slot] = edgeCount[e] / out[edgeFrom[e]];
            }
            double[] countReward = new double[stateCount];
            double[] valueReward = new double[stateCount];
            for (int s = 0; s < stateCount; s++) {
                if (out[s] > 0) {
                    countReward[s] = converted[s] / out[s];
                    valueReward[s] = convertedValue[s] / out[s];
                }
            }
            AbsorbingChain chain = new AbsorbingChain(rowStart, column, probability,
                    new double[][] {countReward, valueReward}, directLimit);
            boolean[] removed = new boolean[stateCount];
            double[] base = chain.expectedFromStart(removed);
            double[] effects = new double[channels];
            double[] valueEffects = new double[channels];
            boolean[] present = new boolean[channels];
            for (int i = order; i < stateCount * order; i++) {
                if (stateChannels[i] >= 0) {
                    present[stateChannels[i]] = true;
                }
            }
            for (int c = 0; c < channels; c++) {
                if (!present[c] || base[0] == 0) {
                    continue;
                }
                for (int s = 1; s < stateCount; s++) {
                    removed[s] = contains(s, c);
                }
                double[] without = chain.expectedFromStart(removed);
                effects[c] = removalEffect(base[0], without[0]);
                valueEffects[c] = removalEffect(base[1], without[1]);
            }
            Attribution attribution = new Attribution("markov", "order " + order + ", removal effects",
                    journeys.channels(), share(effects, journeys.totalConversions()),
                    share(valueEffects, journeys.totalValue()), journeys.totalConversions(), journeys.totalValue());
            return new Result(order, journeys.channels(), stateLabels(), transitions(out), base[0], base[1],
                    effects, valueEffects, chain.direct(stateCount) ? "direct" : "gauss-seidel",
                    attribution);
        }

        private boolean contains(int state, int channel) {
            for (int k = state * order; k < (state + 1) * order; k++) {
                if (stateChannels[k] == channel) {
                    return true;
                }
            }
            return false;
        }

        private List<String> stateLabels() {
            List<String> labels = new ArrayList<>(stateCount);
            labels.add(START);
            for (int s = 1; s < stateCount; s++) {
                StringJoiner label = new StringJoiner(SEPARATOR);
                for (int k = s * order; k < (s + 1) * order && stateChannels[k] >= 0; k++) {
                    label.add(journeys.channels().get(stateChannels[k]));
                }
                labels.add(label.toString());
            }
            return labels;
        }

        private List<Transition> transitions(double[] out) {
            List<String> labels = stateLabels();
            List<Transition> transitions = new ArrayList<>(edgeCountSize + 2 * stateCount);
            for (int e = 0; e < edgeCountSize; e++) {
                transitions.add(new Transition(labels.get(edgeFrom[e]), labels.get(edgeTo[e]), edgeCount[e],
                        edgeCount[e] / out[edgeFrom[e]]));
            }
            for (int s = 0; s < stateCount; s++) {
                if (converted[s] > 0) {
                    transitions.add(new Transition(labels.get(s), CONVERSION, converted[s], converted[s] / out[s]));
                }
                if (lost[s] > 0) {
                    transitions.add(new Transition(labels.get(s), NULL, lost[s], lost[s] / out[s]));
                }
            }
            return transitions;
        }
    }

    private static double removalEffect(double base, double without) {
        return base <= 0 ? 0 : Math.max(0, 1 - without / base);
    }

    private static double[] share(double[] effects, double total) {
        double sum = 0;
        for (double effect : effects) {
            sum += effect;
        }
        double[] credit = new double[effects.length];
        if (sum > 0) {
            for (int c = 0; c < effects.length; c++) {
                credit[c] = total * effects[c] / sum;
            }
        }
        return credit;
    }
}
