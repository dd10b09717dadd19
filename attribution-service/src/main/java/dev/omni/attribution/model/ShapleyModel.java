package dev.omni.attribution.model;

import java.util.Arrays;

/**
 * Shapley-value attribution (Zhao et al. 2018, "Shapley Value Methods for Attribution Modeling in Online
 * Advertising"). The channels are the players; the worth of a coalition S is what the journeys whose channels all
 * lie in S brought: {@code v(S) = Σ_{T ⊆ S} R(T)}, where R(T) counts the conversions (or sums the value) of the
 * converting journeys whose set of channels is exactly T. A channel's credit is its Shapley value
 * {@code φ_i = Σ_{S ⊆ N∖{i}} |S|! (n-|S|-1)! / n! · (v(S ∪ {i}) - v(S))}.
 *
 * <p>Exact for up to {@code exactLimit} channels (default 20): R is filled in one pass over the journeys, v for all
 * 2^n coalitions by the subset-sum (zeta) transform in n·2^n steps, and φ by one sweep over the coalitions — the
 * journeys are never rescanned per coalition. With more channels the simplified form is used,
 * {@code φ_i = Σ_{T ∋ i} R(T) / |T|}, which for this worth is the same value (Zhao et al., section 3.2), computed
 * in one pass over the journeys.
 */
public final class ShapleyModel implements AttributionModel {

    public static final int DEFAULT_EXACT_LIMIT = 20;
    /** 2^26 coalitions of two double arrays is 1 GiB: the hard ceiling whatever is configured. */
    public static final int MAX_EXACT_LIMIT = 26;

    private final int exactLimit;

    public ShapleyModel() {
        this(DEFAULT_EXACT_LIMIT);
    }

    public ShapleyModel(int exactLimit) {
        if (exactLimit < 0 || exactLimit > MAX_EXACT_LIMIT) {
            throw new IllegalArgumentException("the exact limit is 0.." + MAX_EXACT_LIMIT);
        }
        this.exactLimit = exactLimit;
    }

    @Override
    public String name() {
        return "shapley";
    }

    @Override
    public Attribution attribute(Journeys journeys) {
        int channels = journeys.channelCount();
        // players: the channels seen in converting journeys; the others' worth never changes a coalition
        int[] player = new int[channels];
        Arrays.fill(player, -1);
        int players = 0;
        for (int j = 0; j < journeys.size(); j++) {
            if (journeys.converted(j)) {
                for (int i = journeys.start(j); i < journeys.end(j); i++) {
                    if (player[journeys.touch(i)] < 0) {
                        player[journeys.touch(i)] = players++;
                    }
                }
            }
        }
        double[][] phi = players <= exactLimit ? exact(journeys, player, players) : simplified(journeys, player, players);
        double[] conversions = new double[channels];
        double[] values = new double[channels];
        for (int c = 0; c < channels; c++) {
            if (player[c] >= 0) {
                conversions[c] = phi[0][player[c]];
                values[c] = phi[1][player[c]];
            }
        }
        String method = players <= exactLimit ? "exact, " + players + " channels, 2^" + players + " coalitions"
                : "simplified, " + players + " channels";
        return new Attribution(name(), method, journeys.channels(), conversions, values, journeys.totalConversions(),
                journeys.totalValue());
    }

    private static double[][] exact(Journeys journeys, int[] player, int players) {
        if (players == 0) {
            return new double[][] {new double[0], new double[0]};
        }
        int coalitions = 1 << players;
        double[] count = new double[coalitions];
        double[] value = new double[coalitions];
        for (int j = 0; j < journeys.size(); j++) {
            if (journeys.converted(j)) {
                int mask = 0;
                for (int i = journeys.start(j); i < journeys.end(j); i++) {
                    mask |= 1 << player[journeys.touch(i)];
                }
                count[mask]++;
                value[mask] += journeys.value(j);
            }
        }
        // zeta transform: afterwards count[S] = Σ_{T ⊆ S} R(T), the worth of coalition S
        for (int bit = 0; bit < players; bit++) {
            int b = 1 << bit;
            for (int mask = 0; mask < coalitions; mask++) {
                if ((mask & b) != 0) {
                    count[mask] += count[mask ^ b];
                    value[mask] += value[mask ^ b];
                }
            }
        }
        // weight[s] = s! (n-s-1)! / n! = 1 / (n · C(n-1, s))
        double[] weight = new double[Math.max(players, 1)];
        double binomial = 1;
        for (int s = 0; s < players; s++) {
            weight[s] = 1 / (players * binomial);
            binomial = binomial * (players - 1 - s) / (s + 1);
        }
        double[] phiCount = new double[players];
        double[] phiValue = new double[players];
        for (int mask = 0; mask < coalitions; mask++) {
            double w = weight[Math.min(Integer.bitCount(mask), players - 1)];
            double countWorth = count[mask];
            double valueWorth = value[mask];
            for (int i = 0; i < players; i++) {
                int b = 1 << i;
                if ((mask & b) == 0) {
                    phiCount[i] += w * (count[mask | b] - countWorth);
                    phiValue[i] += w * (value[mask | b] - valueWorth);
                }
            }
        }
        return new double[][] {phiCount, phiValue};
    }

    private static double[][] simplified(Journeys journeys, int[] player, int players) {
        double[] phiCount = new double[players];
        double[] phiValue = new double[players];
        boolean[] seen = new boolean[players];
        int[] distinct = new int[players];
        for (int j = 0; j < journeys.size(); j++) {
            if (!journeys.converted(j)) {
                continue;
            }
            int size = 0;
            for (int i = journeys.start(j); i < journeys.end(j); i++) {
                int p = player[journeys.touch(i)];
                if (!seen[p]) {
                    seen[p] = true;
                    distinct[size++] = p;
                }
            }
            double value = journeys.value(j);
            for (int k = 0; k < size; k++) {
                phiCount[distinct[k]] += 1.0 / size;
                phiValue[distinct[k]] += value / size;
                seen[distinct[k]] = false;
            }
        }
        return new double[][] {phiCount, phiValue};
    }
}
