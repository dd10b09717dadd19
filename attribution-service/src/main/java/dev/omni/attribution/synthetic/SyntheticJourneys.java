package dev.omni.attribution.synthetic;

import dev.omni.attribution.model.Journeys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded generator of synthetic journeys for benchmarks and scale tests: {@code channels} channels with
 * Zipf-skewed propensities (channel 0 is met most), journey lengths 1–8 (short ones likelier), touch ages within a
 * 30-day window, and a conversion probability that depends on the channels touched and on the journey's length,
 * calibrated so that about {@code conversionRate} of the journeys convert. Conversion values are log-normal around
 * 80. The same seed always gives the same journeys.
 */
public final class SyntheticJourneys {

    public static final int DEFAULT_CHANNELS = 20;
    public static final double DEFAULT_CONVERSION_RATE = 0.18;
    public static final int MIN_LENGTH = 1;
    public static final int MAX_LENGTH = 8;
    private static final double WINDOW_SECONDS = 30 * 86_400.0;
    private static final int CALIBRATION_SAMPLE = 20_000;

    private final int channels;
    private final double[] cumulativePropensity;
    private final double[] lift;
    private final double[] cumulativeLength;
    private final double intercept;

    /** 20 channels, ~18 % converting. */
    public SyntheticJourneys() {
        this(DEFAULT_CHANNELS, DEFAULT_CONVERSION_RATE);
    }

    public SyntheticJourneys(int channels, double conversionRate) {
        if (channels < 1 || conversionRate <= 0 || conversionRate >= 1) {
            throw new IllegalArgumentException("at least one channel and a conversion rate in (0, 1)");
        }
        this.channels = channels;
        cumulativePropensity = new double[channels];
        lift = new double[channels];
        SplittableRandom shape = new SplittableRandom(0x5EED);
        double sum = 0;
        for (int c = 0; c < channels; c++) {
            sum += 1 / Math.pow(c + 1, 1.1);
            cumulativePropensity[c] = sum;
            // channels differ in how much they help: some much more than their reach
            lift[c] = shape.nextDouble(-0.6, 0.9);
        }
        for (int c = 0; c < channels; c++) {
            cumulativePropensity[c] /= sum;
        }
        cumulativeLength = new double[MAX_LENGTH];
        double lengths = 0;
        for (int length = MIN_LENGTH; length <= MAX_LENGTH; length++) {
            lengths += Math.pow(0.72, length - 1);
            cumulativeLength[length - 1] = lengths;
        }
        for (int i = 0; i < MAX_LENGTH; i++) {
            cumulativeLength[i] /= lengths;
        }
        intercept = calibrate(conversionRate);
    }

    public List<String> channelNames() {
        List<String> names = new ArrayList<>(channels);
        for (int c = 0; c < channels; c++) {
            names.add(String.format("channel-%02d", c));
        }
        return names;
    }

    /** {@code count} journeys drawn from {@code seed}. */
    public Journeys generate(long seed, int count) {
        Journeys.Builder builder = Journeys.builder().channels(channelNames());
        SplittableRandom random = new SplittableRandom(seed);
        int[] path = new int[MAX_LENGTH];
        double[] ages = new double[MAX_LENGTH];
        for (int j = 0; j < count; j++) {
            int length = draw(path, ages, random);
            double p = probability(score(path, length));
            boolean converted = random.nextDouble() < p;
            double value = converted ? Math.exp(4.2 + 0.6 * gaussian(random)) : 0;
            builder.add(Arrays.copyOf(path, length), Arrays.copyOf(ages, length), converted,
                    Math.round(value * 100) / 100.0);
        }
        return builder.build();
    }

    private int draw(int[] path, double[] ages, SplittableRandom random) {
        int length = pick(cumulativeLength, random.nextDouble()) + MIN_LENGTH;
        double[] times = new double[length];
        for (int i = 0; i < length; i++) {
            path[i] = pick(cumulativePropensity, random.nextDouble());
            times[i] = random.nextDouble() * WINDOW_SECONDS;
        }
        Arrays.sort(times);
        // ages count back from the last touch: the oldest touch first, age 0 at the end
        for (int i = 0; i < length; i++) {
            ages[i] = times[length - 1] - times[i];
        }
        return length;
    }

    private double score(int[] path, int length) {
        double score = 0.25 * (length - 1);
        boolean[] seen = new boolean[channels];
        for (int i = 0; i < length; i++) {
            if (!seen[path[i]]) {
                seen[path[i]] = true;
                score += lift[path[i]];
            }
        }
        return score;
    }

    private double probability(double score) {
        return 1 / (1 + Math.exp(-(intercept + score)));
    }

    /** The intercept giving the wanted mean conversion probability, by bisection over a fixed sample. */
    private double calibrate(double rate) {
        SplittableRandom random = new SplittableRandom(0xCA1B);
        double[] scores = new double[CALIBRATION_SAMPLE];
        int[] path = new int[MAX_LENGTH];
        double[] ages = new double[MAX_LENGTH];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = score(path, draw(path, ages, random));
        }
        double low = -20;
        double high = 20;
        for (int step = 0; step < 60; step++) {
            double middle = (low + high) / 2;
            double mean = 0;
            for (double score : scores) {
                mean += 1 / (1 + Math.exp(-(middle + score)));
            }
            if (mean / scores.length < rate) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return (low + high) / 2;
    }

    private static int pick(double[] cumulative, double u) {
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cumulative[middle] < u) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
