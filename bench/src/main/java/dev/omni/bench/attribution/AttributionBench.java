package dev.omni.bench.attribution;

import dev.omni.attribution.model.Attribution;
import dev.omni.attribution.model.AttributionModel;
import dev.omni.attribution.model.HeuristicModel;
import dev.omni.attribution.model.Journeys;
import dev.omni.attribution.model.MarkovModel;
import dev.omni.attribution.model.ShapleyModel;
import dev.omni.attribution.synthetic.SyntheticJourneys;
import dev.omni.bench.Args;
import dev.omni.bench.Report;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The attribution models on synthetic journeys, from raw journeys (the columnar {@link Journeys} the service builds
 * from its rows) to credits. Every (model, size) runs in a fresh JVM: the journeys are generated (not timed), then
 * warm-up runs, then timed runs whose median is reported, while a sampler thread records the peak used heap. The
 * same-run baselines are naive reference implementations ({@link Baselines}) on the same seeded journeys, at a size
 * they can handle; their results are checked against the models'.
 *
 * <p>{@code --quick} uses small sizes for a smoke run. Every figure's parameter is on the command line.
 */
public final class AttributionBench {

    private static final String RESULT = "RESULT ";
    /** The synthetic data has no direct visits: last-non-direct treats the most frequent channel as direct. */
    private static final String DIRECT = "channel-00";
    private static final List<String> MODELS = List.of("heuristics", "markov1", "markov2", "shapley");
    private static final Map<String, Double> TARGET_SECONDS = Map.of("heuristics", 1.0, "markov1", 1.5,
            "markov2", 3.0, "shapley", 5.0);
    private static final Map<String, String> TITLES = Map.of("heuristics", "all six heuristics together",
            "markov1", "Markov order 1 (exact)", "markov2", "Markov order 2 (exact)",
            "shapley", "Shapley, exact over 20 channels");

    private AttributionBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String child = args.string("child", null);
        if (child != null) {
            System.out.println(RESULT + runChild(child, args));
            return;
        }
        parent(args);
    }

    // ---------------------------------------------------------------------------------------------- the parent JVM

    private static void parent(Args args) throws Exception {
        boolean quick = Boolean.parseBoolean(args.string("quick", "false"));
        List<Integer> sizes = Arrays.stream(args.string("sizes", quick ? "1000,10000,100000" : "10000,100000,1000000")
                .split(",")).map(String::trim).map(Integer::parseInt).toList();
        int full = sizes.get(sizes.size() - 1);
        long seed = args.number("seed", 42);
        int warmup = args.integer("warmup", quick ? 1 : 3);
        int runs = args.integer("runs", quick ? 3 : 7);
        int baselineSize = args.integer("baseline-size", quick ? 10_000 : 100_000);
        int shapleyBaselineSize = args.integer("shapley-baseline-size", quick ? 1_000 : 10_000);
        int walks = args.integer("walks", 100_000);
        String heap = args.string("heap", "3g");
        Map<String, String> common = new LinkedHashMap<>();
        common.put("seed", Long.toString(seed));
        common.put("warmup", Integer.toString(warmup));
        common.put("runs", Integer.toString(runs));
        common.put("walks", Integer.toString(walks));

        Map<String, String> generator = child(heap, "generator", full, common);
        Map<String, Map<Integer, Map<String, String>>> results = new LinkedHashMap<>();
        for (String model : MODELS) {
            Map<Integer, Map<String, String>> bySize = new LinkedHashMap<>();
            for (int size : sizes) {
                bySize.put(size, child(heap, model, size, common));
            }
            results.put(model, bySize);
        }
        Map<String, String> baselineRuns = new LinkedHashMap<>(common);
        baselineRuns.put("warmup", "1");
        baselineRuns.put("runs", "3");
        Map<String, Map<String, String>> baselines = new LinkedHashMap<>();
        baselines.put("heuristics", child(heap, "baseline-heuristics", baselineSize, baselineRuns));
        baselines.put("markov1", child(heap, "baseline-markov1", baselineSize, baselineRuns));
        baselines.put("shapley", child(heap, "baseline-shapley", shapleyBaselineSize, baselineRuns));
        Map<String, Map<String, String>> omniAtBaseline = new LinkedHashMap<>();
        for (String model : baselines.keySet()) {
            int size = Integer.parseInt(baselines.get(model).get("size"));
            Map<String, String> same = results.get(model).get(size);
            omniAtBaseline.put(model, same != null ? same : child(heap, model, size, common));
        }

        Report report = new Report("attribution", "attribution-service: models on synthetic journeys");
        boolean allChecks = true;
        report.row("synthetic journeys: %s (seed %d, generated in %s)".formatted(count(full), seed,
                        seconds(generator.get("median"))),
                "%s channels, lengths %s–%s (mean %s), %s%% converting, %s distinct paths; top channel in %s%% of touches"
                        .formatted(generator.get("channels"), generator.get("minLength"), generator.get("maxLength"),
                                generator.get("meanLength"), generator.get("conversionPercent"),
                                generator.get("distinctPaths"), generator.get("topChannelPercent")),
                "—", generator.get("check").equals("ok") ? "as specified (20 channels, 1–8, ~18 %)"
                        : "CHECK FAILED: " + generator.get("check"));
        allChecks &= generator.get("check").equals("ok");
        for (String model : MODELS) {
            Map<String, String> atFull = results.get(model).get(full);
            Map<String, String> baseline = baselines.get(model);
            String baselineText = "—";
            if (baseline != null) {
                Map<String, String> omni = omniAtBaseline.get(model);
                double ratio = Double.parseDouble(baseline.get("median")) / Double.parseDouble(omni.get("median"));
                baselineText = "%s at %s journeys vs Omni %s there: **%sx** (%s)".formatted(
                        seconds(baseline.get("median")), count(Integer.parseInt(baseline.get("size"))),
                        seconds(omni.get("median")), format(ratio, ratio < 10 ? 1 : 0), baseline.get("what"));
            }
            double target = TARGET_SECONDS.get(model);
            double median = Double.parseDouble(atFull.get("median"));
            report.row("%s, %s journeys".formatted(TITLES.get(model), count(full)),
                    "median %s (min %s, %d runs after %d warm-up); peak heap %s MB (input alone %s MB)".formatted(
                            seconds(atFull.get("median")), seconds(atFull.get("min")), runs, warmup,
                            atFull.get("peakHeapMb"), atFull.get("inputHeapMb")),
                    baselineText,
                    full == 1_000_000 ? Report.verdict(median, target, true, "≤ " + format(target, 1) + " s")
                            : "(quick size: target applies at 1,000,000)");
        }
        for (String model : MODELS) {
            StringBuilder growth = new StringBuilder();
            Map<Integer, Map<String, String>> bySize = results.get(model);
            Double previous = null;
            Integer previousSize = null;
            for (int size : sizes) {
                double median = Double.parseDouble(bySize.get(size).get("median"));
                if (growth.length() > 0) {
                    growth.append(" → ");
                }
                growth.append(count(size)).append(": ").append(seconds(Double.toString(median)));
                if (previous != null) {
                    growth.append(" (×").append(format(median / previous, 1)).append(" for ×")
                            .append(size / previousSize).append(" journeys)");
                }
                previous = median;
                previousSize = size;
            }
            report.row("growth, " + TITLES.get(model), growth.toString(), "—", "—");
        }
        List<String> failures = new ArrayList<>();
        for (String model : MODELS) {
            results.get(model).forEach((size, result) -> {
                if (!result.get("check").equals("ok")) {
                    failures.add(model + " at " + count(size) + ": " + result.get("check"));
                }
            });
            if (!omniAtBaseline.getOrDefault(model, Map.of("check", "ok")).get("check").equals("ok")) {
                failures.add(model + " at the baseline size");
            }
        }
        baselines.forEach((model, result) -> {
            if (!result.get("check").equals("ok")) {
                failures.add("baseline " + model + ": " + result.get("check"));
            }
        });
        allChecks &= failures.isEmpty();
        report.row("correctness checks", allChecks ? "all passed" : "**FAILED**: " + String.join("; ", failures), "—",
                allChecks ? "ok" : "FAILED");
        report.note("Each (model, size) ran in a fresh JVM (-Xmx" + heap + "): journeys generated by "
                + "`SyntheticJourneys.generate(seed, n)` (not timed), " + warmup + " warm-up run(s), then " + runs
                + " timed runs of `model.attribute(journeys)` — raw columnar journeys to credits, including the "
                + "aggregation of identical paths; the median is reported. Baselines: 1 warm-up, 3 timed runs.");
        report.note("Peak heap: the largest used heap seen by a 1 ms sampler thread during the timed runs (garbage not "
                + "yet collected included, so an upper bound); \"input alone\" is the used heap after a full GC once "
                + "the journeys were generated.");
        report.note("Checks: every model's credits add up to the converting journeys' total (conversions to 1e-6, "
                + "value to 1e-6 relative); \"all six heuristics\" = first, last, last-non-direct, linear, "
                + "position-based, time-decay run one after another on the same journeys. "
                + baselines.get("shapley").get("detail") + ". " + baselines.get("markov1").get("detail") + ". "
                + baselines.get("heuristics").get("detail") + ".");
        report.note("Baselines: Shapley by scanning every converting journey once per coalition (2^20 scans) instead of "
                + "the subset-sum transform; Markov order 1 by Monte-Carlo simulation of the fitted chain (" + walks
                + " walks for the full chain and per removed channel, as ChannelAttribution simulates) instead of the "
                + "exact solve; heuristics over journeys held as lists of labels with hash-map credits.");
        report.write();
        if (!allChecks) {
            System.exit(1);
        }
    }

    private static Map<String, String> child(String heap, String model, int size, Map<String, String> common)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.javaBinary(), "-Xmx" + heap, "-Xms" + heap, "-cp", System.getProperty("java.class.path"),
                AttributionBench.class.getName(), "--child=" + model, "--size=" + size));
        common.forEach((k, v) -> command.add("--" + k + "=" + v));
        System.err.printf("bench: %s at %s journeys …%n", model, count(size));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(RESULT)) {
                    result = line.substring(RESULT.length());
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException(model + " at " + size + " failed (exit " + exit + ")");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : result.split("\t")) {
            int eq = field.indexOf('=');
            fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        fields.put("size", Integer.toString(size));
        System.err.printf("bench: %s at %s journeys: %s%n", model, count(size), fields);
        return fields;
    }

    // ----------------------------------------------------------------------------------------------- a child JVM

    private static String runChild(String model, Args args) {
        int size = args.integer("size", 1_000_000);
        long seed = args.number("seed", 42);
        int warmup = args.integer("warmup", 3);
        int runs = args.integer("runs", 7);
        int walks = args.integer("walks", 100_000);
        long generateStart = System.nanoTime();
        Journeys journeys = new SyntheticJourneys().generate(seed, size);
        double generated = (System.nanoTime() - generateStart) / 1e9;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        long input = memory.getHeapMemoryUsage().getUsed();
        Map<String, String> out = new LinkedHashMap<>();
        if (model.equals("generator")) {
            out.put("median", Double.toString(generated));
            generatorStats(journeys, out);
            return tabbed(out);
        }
        Supplier<String> work = switch (model) {
            case "heuristics" -> () -> heuristics(journeys);
            case "markov1" -> () -> check(new MarkovModel(1).attribute(journeys));
            case "markov2" -> () -> check(new MarkovModel(2).attribute(journeys));
            case "shapley" -> () -> {
                Attribution credit = new ShapleyModel(20).attribute(journeys);
                return credit.method().startsWith("exact, 20") ? check(credit) : "not exact: " + credit.method();
            };
            case "baseline-shapley" -> () -> {
                Baselines.shapleyByScans(journeys);
                return "ok";
            };
            case "baseline-markov1" -> () -> {
                Baselines.markovBySimulation(journeys, walks, seed);
                return "ok";
            };
            case "baseline-heuristics" -> () -> {
                Baselines.heuristics(Baselines.labelled(journeys), DIRECT, 7 * 86_400.0);
                return "ok";
            };
            default -> throw new IllegalArgumentException("unknown model " + model);
        };
        HeapSampler sampler = new HeapSampler(memory);
        String check = "ok";
        for (int i = 0; i < warmup; i++) {
            String result = work.get();
            check = result.equals("ok") ? check : result;
        }
        sampler.start();
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            String result = work.get();
            times[i] = (System.nanoTime() - start) / 1e9;
            check = result.equals("ok") ? check : result;
        }
        long peak = sampler.finish();
        Arrays.sort(times);
        out.put("median", Double.toString(times[runs / 2]));
        out.put("min", Double.toString(times[0]));
        out.put("peakHeapMb", Long.toString(peak >> 20));
        out.put("inputHeapMb", Long.toString(input >> 20));
        out.put("what", switch (model) {
            case "baseline-shapley" -> "2^20 scans of the data";
            case "baseline-markov1" -> "Monte-Carlo, " + walks + " walks × 21 chains";
            case "baseline-heuristics" -> "lists and hash maps";
            default -> model;
        });
        out.put("detail", baselineAgreement(model, journeys, walks, seed));
        String agreement = out.get("detail");
        if (agreement.startsWith("FAILED")) {
            check = agreement;
        }
        out.put("check", check);
        return tabbed(out);
    }

    private static String heuristics(Journeys journeys) {
        Set<String> direct = Set.of(DIRECT);
        List<AttributionModel> models = List.of(HeuristicModel.firstTouch(), HeuristicModel.lastTouch(),
                HeuristicModel.lastNonDirect(direct), HeuristicModel.linear(), HeuristicModel.positionBased(),
                HeuristicModel.timeDecay(Duration.ofDays(7)));
        String check = "ok";
        for (AttributionModel model : models) {
            String result = check(model.attribute(journeys));
            check = result.equals("ok") ? check : model.name() + ": " + result;
        }
        return check;
    }

    /** Efficiency: the credits add up to the total conversions and value. */
    private static String check(Attribution credit) {
        double conversions = Arrays.stream(credit.conversions()).sum();
        double value = Arrays.stream(credit.values()).sum();
        if (Math.abs(conversions - credit.totalConversions()) > 1e-6 * Math.max(1, credit.totalConversions())) {
            return "credits " + conversions + " ≠ " + credit.totalConversions() + " conversions";
        }
        if (Math.abs(value - credit.totalValue()) > 1e-6 * Math.max(1, credit.totalValue())) {
            return "value credits " + value + " ≠ " + credit.totalValue();
        }
        return "ok";
    }

    /** How the baseline's result compares with the model's on the same journeys (not timed). */
    private static String baselineAgreement(String model, Journeys journeys, int walks, long seed) {
        switch (model) {
            case "baseline-shapley" -> {
                double[] naive = Baselines.shapleyByScans(journeys);
                Attribution exact = new ShapleyModel(20).attribute(journeys);
                double worst = 0;
                for (int c = 0; c < naive.length; c++) {
                    worst = Math.max(worst, Math.abs(naive[c] - exact.conversions(c)));
                }
                String text = "Shapley by 2^20 scans and by the subset-sum transform agree to "
                        + String.format(Locale.ROOT, "%.1e", worst) + " conversions per channel";
                return worst <= 1e-6 ? text : "FAILED: " + text;
            }
            case "baseline-markov1" -> {
                double[] simulated = Baselines.markovBySimulation(journeys, walks, seed);
                Attribution exact = new MarkovModel(1).attribute(journeys);
                double worst = 0;
                double mean = 0;
                double misplaced = 0;
                int counted = 0;
                for (int c = 0; c < simulated.length; c++) {
                    misplaced += Math.abs(simulated[c] - exact.conversions(c));
                    if (exact.conversions(c) > 0) {
                        double error = Math.abs(simulated[c] - exact.conversions(c)) / exact.conversions(c);
                        worst = Math.max(worst, error);
                        mean += error;
                        counted++;
                    }
                }
                double share = misplaced / Math.max(exact.totalConversions(), 1) / 2;
                String text = "Markov order 1 by simulation (" + walks + " walks) is off the exact credit by "
                        + format(100 * mean / Math.max(counted, 1), 2) + " % per channel on average, at most "
                        + format(100 * worst, 2) + " %; " + format(100 * share, 2)
                        + " % of the conversions credited to other channels";
                // a simulation that moves a large share of the credit means one of the two is wrong
                return share <= 0.2 ? text : "FAILED: " + text;
            }
            case "baseline-heuristics" -> {
                Map<String, Double> linear = Baselines.heuristics(Baselines.labelled(journeys), DIRECT,
                        7 * 86_400.0);
                Attribution credit = HeuristicModel.linear().attribute(journeys);
                double worst = 0;
                for (int c = 0; c < journeys.channelCount(); c++) {
                    worst = Math.max(worst, Math.abs(linear.getOrDefault(journeys.channels().get(c), 0.0)
                            - credit.conversions(c)));
                }
                String text = "linear credit of the list-based heuristics and of the model agree to "
                        + String.format(Locale.ROOT, "%.1e", worst);
                return worst <= 1e-6 ? text : "FAILED: " + text;
            }
            default -> {
                return "";
            }
        }
    }

    private static void generatorStats(Journeys journeys, Map<String, String> out) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        long[] perChannel = new long[journeys.channelCount()];
        Set<String> paths = new java.util.HashSet<>();
        for (int j = 0; j < journeys.size(); j++) {
            min = Math.min(min, journeys.length(j));
            max = Math.max(max, journeys.length(j));
            StringBuilder path = new StringBuilder();
            for (int i = journeys.start(j); i < journeys.end(j); i++) {
                perChannel[journeys.touch(i)]++;
                path.append((char) ('a' + journeys.touch(i)));
            }
            paths.add(path.toString());
        }
        long top = Arrays.stream(perChannel).max().orElse(0);
        double rate = journeys.totalConversions() / journeys.size();
        out.put("channels", Integer.toString(journeys.channelCount()));
        out.put("minLength", Integer.toString(min));
        out.put("maxLength", Integer.toString(max));
        out.put("meanLength", format((double) journeys.touchCount() / journeys.size(), 2));
        out.put("conversionPercent", format(100 * rate, 1));
        out.put("distinctPaths", count(paths.size()));
        out.put("topChannelPercent", format(100.0 * top / journeys.touchCount(), 1));
        boolean ok = journeys.channelCount() == 20 && min >= 1 && max <= 8 && rate > 0.16 && rate < 0.20
                && (double) top / journeys.touchCount() > 2.0 / 20;
        out.put("check", ok ? "ok" : "generator out of spec");
    }

    /** Polls the used heap every millisecond and keeps the largest value. */
    private static final class HeapSampler extends Thread {

        private final MemoryMXBean memory;
        private volatile boolean running = true;
        private volatile long peak;

        HeapSampler(MemoryMXBean memory) {
            this.memory = memory;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long finish() {
            running = false;
            try {
                join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Math.max(peak, memory.getHeapMemoryUsage().getUsed());
        }
    }

    private static final class Path {
        static String javaBinary() {
            return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        }
    }

    private static String tabbed(Map<String, String> fields) {
        StringBuilder line = new StringBuilder();
        fields.forEach((k, v) -> line.append(line.length() > 0 ? "\t" : "").append(k).append('=')
                .append(v.replace('\t', ' ').replace('\n', ' ')));
        return line.toString();
    }

    private static String seconds(String value) {
        double s = Double.parseDouble(value);
        return s >= 1 ? format(s, 2) + " s" : format(s * 1000, s >= 0.1 ? 0 : 1) + " ms";
    }

    private static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
