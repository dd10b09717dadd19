package dev.omni.bench.profile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerPerfTest {

    @Test
    void readsTheClosingLine() {
        ProducerPerf.Total total = ProducerPerf.parse("20000 records sent, 1393.5 records/sec (0.66 MB/sec), 667.77 ms "
                + "avg latency, 6282.00 ms max latency, 641 ms 50th, 1106 ms 95th, 1298 ms 99th, 1613 ms 99.9th.");

        assertThat(total).isNotNull();
        assertThat(total.records()).isEqualTo(20_000);
        assertThat(total.perSecond()).isEqualTo(1393.5);
        assertThat(total.p50Millis()).isEqualTo(641);
        assertThat(total.p99Millis()).isEqualTo(1298);
    }

    @Test
    void progressLinesAreNotTheTotal() {
        assertThat(ProducerPerf.parse("11241 records sent, 2247.3 records/sec (1.07 MB/sec), 842.9 ms avg latency, "
                + "1699.0 ms max latency.")).isNull();
    }
}
