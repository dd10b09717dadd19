package dev.omni.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine's CPU time from the {@code cpu} line of {@code /proc/stat} (Linux; all zeros elsewhere), so a phase can
 * say how much of its time the hypervisor gave to other guests. On a virtual machine, <em>steal</em> is time a vCPU was
 * ready to run and did not: it lands in every latency and rate measured here, the baselines' as much as Omni's, and it
 * moves with the host's load from one minute to the next.
 *
 * @param busy  user, nice, system, irq and softirq ticks
 * @param steal ticks stolen by the hypervisor
 * @param total every tick (idle and iowait included)
 */
public record HostCpu(long busy, long steal, long total) {

    private static final Path STAT = Path.of("/proc/stat");

    public static HostCpu now() {
        try {
            for (String line : Files.readAllLines(STAT)) {
                if (line.startsWith("cpu ")) {
                    return parse(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs: nothing to report
        }
        return new HostCpu(0, 0, 0);
    }

    /** {@code cpu  user nice system idle iowait irq softirq steal guest guest_nice} */
    static HostCpu parse(String line) {
        String[] fields = line.trim().split("\\s+");
        long[] ticks = new long[8];
        for (int i = 0; i < ticks.length && i + 1 < fields.length; i++) {
            ticks[i] = Long.parseLong(fields[i + 1]);
        }
        long busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6];
        return new HostCpu(busy, ticks[7], busy + ticks[3] + ticks[4] + ticks[7]);
    }

    /** Share of the machine's time stolen between {@code before} and this reading, NaN when nothing was counted. */
    public double stealSince(HostCpu before) {
        long ticks = total - before.total;
        return ticks <= 0 ? Double.NaN : (double) (steal - before.steal) / ticks;
    }

    /** Share of the machine's time spent running anything between {@code before} and this reading. */
    public double busySince(HostCpu before) {
        long ticks = total - before.total;
        return ticks <= 0 ? Double.NaN : (double) (busy - before.busy) / ticks;
    }

    /** "steal 12%, busy 55%", or "steal not measured" off Linux. */
    public String since(HostCpu before) {
        double steal = stealSince(before);
        return Double.isNaN(steal) ? "steal not measured"
                : String.format(Locale.ROOT, "steal %.0f%%, busy %.0f%%", 100 * steal, 100 * busySince(before));
    }
}
