package dev.omni.console.attribution;

import dev.omni.console.attribution.AttributionPages.Range;
import dev.omni.console.gateway.GatewayException;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RangeTest {

    @Test
    void theLastDayIsIncludedWhole() {
        Range range = Range.of("2026-03-01", "2026-03-31", null);

        assertThat(range.fromInstant()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(range.toInstant()).isEqualTo("2026-04-01T00:00:00Z");
    }

    @Test
    void withoutDatesTheLast30Days() {
        Range range = Range.of(null, "", null);

        assertThat(range.to()).isEqualTo(LocalDate.now(java.time.ZoneOffset.UTC));
        assertThat(range.from()).isEqualTo(range.to().minusDays(30));
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Range.of("1 March", null, null)).isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).violations()).containsExactly("from: 1 March"));
        assertThatThrownBy(() -> Range.of("2026-03-02", "2026-03-01", null))
                .satisfies(e -> assertThat(((GatewayException) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> Range.of(null, null, 0))
                .satisfies(e -> assertThat(((GatewayException) e).violations()).containsExactly("lookbackDays: 0"));
    }
}
