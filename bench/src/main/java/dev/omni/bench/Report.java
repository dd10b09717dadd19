package dev.omni.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One benchmark's section of {@code docs/benchmarks.md}: a heading, the command that produced it, a table of figures
 * (each beside its same-run baseline and target) and notes. Written to {@code bench/target/results/NAME.md};
 * {@code bench/run-all} puts the sections together.
 */
public final class Report {

    private final String name;
    private final String title;
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Report(String name, String title) {
        this.name = name;
        this.title = title;
    }

    /** A row: what was measured, Omni's figure, the baseline's (or "—"), the ratio or target verdict. */
    public Report row(String measure, String omni, String baseline, String verdict) {
        rows.add("| %s | %s | %s | %s |".formatted(measure, omni, baseline, verdict));
        return this;
    }

    public Report note(String note) {
        notes.add(note);
        return this;
    }

    /** "meets" / "MISSES" against a target; {@code lowerIsBetter} for latencies. */
    public static String verdict(double value, double target, boolean lowerIsBetter, String targetText) {
        boolean meets = lowerIsBetter ? value <= target : value >= target;
        return (meets ? "meets " : "MISSES ") + targetText;
    }

    public String markdown() {
        StringBuilder out = new StringBuilder("## ").append(title).append("\n\n");
        String command = System.getProperty("bench.command");
        if (command != null) {
            out.append("Command: `").append(command).append("`\n\n");
        }
        out.append("| measure | Omni | same-run baseline | verdict |\n|---|---|---|---|\n");
        rows.forEach(row -> out.append(row).append('\n'));
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(note -> out.append("- ").append(note).append('\n'));
        }
        return out.toString();
    }

    /** Prints the section and writes it where {@code bench/run-all} collects it. */
    public void write() {
        String text = markdown();
        System.out.println(text);
        Path dir = Path.of(System.getProperty("bench.results", "bench/target/results"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".md"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
