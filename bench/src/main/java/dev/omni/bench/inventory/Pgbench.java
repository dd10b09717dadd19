package dev.omni.bench.inventory;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * PostgreSQL's own load tool ({@code pgbench}) running one script against the service's database: the floor of what
 * the same SQL costs without the service around it. Connection settings come from the environment
 * ({@code PGHOST}, {@code PGPORT}, {@code PGUSER}, {@code PGPASSWORD}, set by {@code bench/lib.sh}).
 */
final class Pgbench {

    private static final Pattern TPS = Pattern.compile("tps = ([\\d.]+) \\(without initial connection time\\)");
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

    /** What a run printed; {@code latencyMicros} only when it logged each transaction ({@code -l}). */
    record Run(double tps, long processed, long failed, Histogram latencyMicros, String output) {
        double millis(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final String executable;
    private final String database;

    Pgbench(String executable, String database) {
        this.executable = executable;
        this.database = database;
    }

    /**
     * Runs {@code script} with {@code options} (e.g. {@code -c 64 -T 30}) and the variables given; with
     * {@code logLatencies} every transaction's latency is read back from pgbench's log, schedule lag included (so
     * with {@code -R} the latency counts from when a transaction was due, as HttpLoad's does).
     */
    Run run(String script, List<String> options, Map<String, String> variables, boolean logLatencies) {
        try {
            Path dir = Files.createTempDirectory("pgbench-inventory");
            Path file = dir.resolve("script.sql");
            Files.writeString(file, script);
            List<String> command = new ArrayList<>(List.of(executable, "-n", "-M", "prepared"));
            command.addAll(options);
            variables.forEach((name, value) -> command.addAll(List.of("-D", name + "=" + value)));
            if (logLatencies) {
                command.addAll(List.of("-l", "--log-prefix=" + dir.resolve("log")));
            }
            command.addAll(List.of("-f", file.toString(), database));
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("pgbench failed: " + String.join(" ", command) + "\n" + output);
            }
            Histogram latencies = logLatencies ? latencies(dir) : null;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path each : files.toList()) {
                    Files.delete(each);
                }
            }
            Files.delete(dir);
            return new Run(Double.parseDouble(find(TPS, output, "0")), Long.parseLong(find(PROCESSED, output, "0")),
                    Long.parseLong(find(FAILED, output, "0")), latencies, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Per-transaction log lines: {@code client tx time_us script epoch epoch_us [lag_us]}. */
    private static Histogram latencies(Path dir) throws IOException {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path log : files.filter(f -> f.getFileName().toString().startsWith("log")).toList()) {
                try (Stream<String> lines = Files.lines(log)) {
                    lines.forEach(line -> {
                        String[] fields = line.trim().split("\\s+");
                        if (fields.length >= 6 && !fields[2].equals("skipped") && !fields[2].equals("failed")) {
                            long micros = Long.parseLong(fields[2]) + (fields.length > 6 ? Long.parseLong(fields[6]) : 0);
                            histogram.recordValue(Math.max(1, Math.min(micros, histogram.getHighestTrackableValue())));
                        }
                    });
                }
            }
        }
        return histogram;
    }

    private static String find(Pattern pattern, String output, String fallback) {
        Matcher matcher = pattern.matcher(output);
        return matcher.find() ? matcher.group(1) : fallback;
    }
}
