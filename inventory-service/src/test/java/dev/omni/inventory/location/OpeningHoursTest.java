package dev.omni.inventory.location;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpeningHoursTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final OpeningHours WEEKDAYS_AND_SATURDAY = OpeningHours.parse(Map.of(
            "MONDAY", "10:00-20:00", "TUESDAY", "10:00-20:00", "WEDNESDAY", "10:00-20:00",
            "THURSDAY", "10:00-20:00", "FRIDAY", "10:00-13:00,14:00-20:00", "SATURDAY", "10:00-16:00"));

    /** 2026-11-23 is a Monday. */
    static ZonedDateTime at(int day, int hour, int minute) {
        return ZonedDateTime.of(2026, 11, day, hour, minute, 0, 0, BERLIN);
    }

    @Test
    void preparationRunsOnlyWhileOpen() {
        assertThat(WEEKDAYS_AND_SATURDAY.readyAfter(at(23, 11, 0), Duration.ofHours(2))).contains(at(23, 13, 0));
        // before opening: two hours after opening
        assertThat(WEEKDAYS_AND_SATURDAY.readyAfter(at(23, 7, 0), Duration.ofHours(2))).contains(at(23, 12, 0));
        // one hour left today, one more tomorrow morning
        assertThat(WEEKDAYS_AND_SATURDAY.readyAfter(at(23, 19, 0), Duration.ofHours(2))).contains(at(24, 11, 0));
        // the lunch break does not count
        assertThat(WEEKDAYS_AND_SATURDAY.readyAfter(at(27, 12, 0), Duration.ofHours(2))).contains(at(27, 15, 0));
    }

    @Test
    void closedDaysAreSkipped() {
        // Saturday 15:00: one hour left, closed on Sunday, ready Monday 11:00
        assertThat(WEEKDAYS_AND_SATURDAY.readyAfter(at(28, 15, 0), Duration.ofHours(2))).contains(at(30, 11, 0));
    }

    @Test
    void aLocationThatNeverOpensPromisesNothing() {
        assertThat(OpeningHours.parse(Map.of()).readyAfter(at(23, 11, 0), Duration.ofHours(1))).isEmpty();
    }

    @Test
    void normalisedFormListsEveryDayInUpperCase() {
        Map<String, String> days = new HashMap<>();
        days.put("monday", "10:00-20:00");
        days.put("SUNDAY", null);
        assertThat(OpeningHours.normalise(days))
                .containsEntry("MONDAY", "10:00-20:00")
                .containsEntry("TUESDAY", null)
                .containsEntry("SUNDAY", null)
                .hasSize(7);
    }

    @Test
    void invalidRangesNameTheirDay() {
        assertThatThrownBy(() -> OpeningHours.parse(Map.of("FUNDAY", "10:00-20:00")))
                .hasMessageStartingWith("FUNDAY");
        assertThatThrownBy(() -> OpeningHours.parse(Map.of("MONDAY", "20:00-10:00")))
                .hasMessageContaining("closes before it opens");
        assertThatThrownBy(() -> OpeningHours.parse(Map.of("MONDAY", "10-20")))
                .hasMessageContaining("HH:mm-HH:mm");
        assertThatThrownBy(() -> OpeningHours.parse(Map.of("MONDAY", "10:00-14:00,13:00-18:00")))
                .hasMessageContaining("overlap");
    }
}
