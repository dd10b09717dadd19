package dev.omni.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Steal and busy shares come from the right /proc/stat columns, between two readings. */
class HostCpuTest {

    @Test
    void stealAndBusyAreSharesOfEveryTickBetweenTwoReadings() {
        //                      user nice system idle iowait irq softirq steal guest guest_nice
        HostCpu before = HostCpu.parse("cpu  1000 0 200 5000 50 0 30 100 0 0");
        HostCpu after = HostCpu.parse("cpu  1300 0 260 5200 50 0 40 300 7 0");
        // 300 + 60 + 10 busy, 200 idle, 200 steal: 770 ticks
        assertThat(after.stealSince(before)).isCloseTo(200.0 / 770, within(1e-9));
        assertThat(after.busySince(before)).isCloseTo(370.0 / 770, within(1e-9));
        assertThat(after.since(before)).isEqualTo("steal 26%, busy 48%");
    }

    @Test
    void nothingCountedIsNotANumber() {
        HostCpu same = HostCpu.parse("cpu  1 2 3 4 5 6 7 8");
        assertThat(same.stealSince(same)).isNaN();
        assertThat(same.since(same)).isEqualTo("steal not measured");
    }

    @Test
    void readsThisMachineWhereThereIsProcfs() {
        HostCpu now = HostCpu.now();
        if (Files.isReadable(Path.of("/proc/stat"))) {
            assertThat(now.total()).isPositive().isGreaterThanOrEqualTo(now.busy() + now.steal());
        } else {
            assertThat(now.total()).isZero();
        }
    }
}
