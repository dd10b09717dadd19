package dev.omni.bench.attribution;

import dev.omni.attribution.model.Journeys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Naive reference implementations the service's models are timed against, on the same journeys:
 * <ul>
 *   <li>Shapley by scanning the converting journeys once per coalition (2^n scans) — what the subset-sum transform
 *   avoids;</li>
 *   <li>Markov order 1 by Monte-Carlo simulation of the fitted chain, once for the full chain and once per removed
 *   channel, as ChannelAttribution does by default — what the exact absorbing-chain solve avoids;</li>
 *   <li>the six heuristics over journeys held as lists of labels with credits in hash maps — the straightforward
 *   object-per-journey way.</li>
 * </ul>
 * Each returns credit per channel id (conversions) so the bench can check it against the service's models.
 */
final class Baselines {

    private Baselines() {
    }

    /** Exact Shapley values, every coalition's worth found by scanning all converting journeys. */
    static double[] shapleyByScans(Journeys journeys) {
        int n = journeys.channelCount();
        int converting = 0;
        for (int j = 0; j < journeys.size(); j++) {
            if (journeys.converted(j)) {
                converting++;
            }
        }
        int[] masks = new int[converting];
        for (int j = 0, k = 0; j < journeys.size(); j++) {
            if (journeys.converted(j)) {
                int mask = 0;
                for (int i = journeys.start(j); i < journeys.end(j); i++) {
                    mask |= 1 << journeys.touch(i);
                }
                masks[k++] = mask;
            }
        }
        int coalitions = 1 << n;
        double[] worth = new double[coalitions];
        for (int s = 0; s < coalitions; s++) {
            int count = 0;
            for (int mask : masks) {
                if ((mask & ~s) == 0) {
                    count++;
                }
            }
            worth[s] = count;
        }
        double[] weight = new double[n];
        double binomial = 1;
        for (int s = 0; s < n; s++) {
            weight[s] = 1 / (n * binomial);
            binomial = binomial * (n - 1 - s) / (s + 1);
        }
        double[] phi = new double[n];
        for (int s = 0; s < coalitions; s++) {
            double w = weight[Math.min(Integer.bitCount(s), n - 1)];
            for (int i = 0; i < n; i++) {
                if ((s & (1 << i)) == 0) {
                    phi[i] += w * (worth[s | (1 << i)] - worth[s]);
                }
            }
        }
        return phi;
    }

    /**
     * Order-1 Markov credit by simulation: {@code walks} random walks from (start) through the fitted transition
     * probabilities, for the whole chain and for the chain without each channel (its transitions sent to (null));
     * removal effects and the credit share as in the exact model.
     */
    static double[] markovBySimulation(Journeys journeys, int walks, long seed) {
        int n = journeys.channelCount();
        int start = n;
        int conversion = n + 1;
        int lost = n + 2;
        double[][] counts = new double[n + 1][n + 3];
        for (int j = 0; j < journeys.size(); j++) {
            int previous = start;
            for (int i = journeys.start(j); i < journeys.end(j); i++) {
                counts[previous][journeys.touch(i)]++;
                previous = journeys.touch(i);
            }
            counts[previous][journeys.converted(j) ? conversion : lost]++;
        }
        double[][] cumulative = new double[n + 1][n + 3];
        for (int s = 0; s <= n; s++) {
            double total = 0;
            for (double c : counts[s]) {
                total += c;
            }
            double sum = 0;
            for (int t = 0; t < n + 3; t++) {
                sum += total > 0 ? counts[s][t] / total : 0;
                cumulative[s][t] = sum;
            }
            cumulative[s][n + 2] = 1;
        }
        SplittableRandom random = new SplittableRandom(seed);
        double base = simulate(cumulative, -1, walks, random, n);
        double[] effects = new double[n];
        double sum = 0;
        for (int c = 0; c < n; c++) {
            double without = simulate(cumulative, c, walks, random, n);
            effects[c] = base > 0 ? Math.max(0, 1 - without / base) : 0;
            sum += effects[c];
        }
        double[] credit = new double[n];
        for (int c = 0; c < n; c++) {
            credit[c] = sum > 0 ? journeys.totalConversions() * effects[c] / sum : 0;
        }
        return credit;
    }

    private static double simulate(double[][] cumulative, int removed, int walks, SplittableRandom random, int n) {
        int converted = 0;
        for (int w = 0; w < walks; w++) {
            int state = n;
            for (int step = 0; step < 10_000; step++) {
                double u = random.nextDouble();
                double[] row = cumulative[state];
                int next = 0;
                while (next < row.length - 1 && row[next] < u) {
                    next++;
                }
                if (next == n + 1) {
                    converted++;
                    break;
                }
                if (next == n + 2 || next == removed) {
                    break;
                }
                state = next;
            }
        }
        return (double) converted / walks;
    }

    /** Journeys as lists of labels, the input of {@link #heuristics}. */
    static List<Labelled> labelled(Journeys journeys) {
        List<Labelled> list = new ArrayList<>(journeys.size());
        for (int j = 0; j < journeys.size(); j++) {
            List<String> labels = new ArrayList<>(journeys.length(j));
            List<Double> ages = new ArrayList<>(journeys.length(j));
            for (int i = journeys.start(j); i < journeys.end(j); i++) {
                labels.add(journeys.channels().get(journeys.touch(i)));
                ages.add(journeys.age(i));
            }
            list.add(new Labelled(labels, ages, journeys.converted(j), journeys.value(j)));
        }
        return list;
    }

    record Labelled(List<String> labels, List<Double> ages, boolean converted, double value) {
    }

    /** The six heuristics, each a map from label to conversions credited; returns the linear model's map. */
    static Map<String, Double> heuristics(List<Labelled> journeys, String direct, double halfLifeSeconds) {
        Map<String, Double> first = new HashMap<>();
        Map<String, Double> last = new HashMap<>();
        Map<String, Double> lastNonDirect = new HashMap<>();
        Map<String, Double> linear = new HashMap<>();
        Map<String, Double> position = new HashMap<>();
        Map<String, Double> decay = new HashMap<>();
        for (Labelled journey : journeys) {
            if (!journey.converted()) {
                continue;
            }
            List<String> labels = journey.labels();
            int m = labels.size();
            first.merge(labels.get(0), 1.0, Double::sum);
            last.merge(labels.get(m - 1), 1.0, Double::sum);
            String chosen = labels.get(m - 1);
            for (int i = m - 1; i >= 0; i--) {
                if (!labels.get(i).equals(direct)) {
                    chosen = labels.get(i);
                    break;
                }
            }
            lastNonDirect.merge(chosen, 1.0, Double::sum);
            for (int i = 0; i < m; i++) {
                linear.merge(labels.get(i), 1.0 / m, Double::sum);
                double w = m == 1 ? 1 : m == 2 ? 0.5 : i == 0 || i == m - 1 ? 0.4 : 0.2 / (m - 2);
                position.merge(labels.get(i), w, Double::sum);
            }
            double youngest = Double.MAX_VALUE;
            for (double age : journey.ages()) {
                youngest = Math.min(youngest, age);
            }
            double total = 0;
            double[] weights = new double[m];
            for (int i = 0; i < m; i++) {
                weights[i] = Math.pow(2, -(journey.ages().get(i) - youngest) / halfLifeSeconds);
                total += weights[i];
            }
            for (int i = 0; i < m; i++) {
                decay.merge(labels.get(i), weights[i] / total, Double::sum);
            }
        }
        return linear;
    }
}
