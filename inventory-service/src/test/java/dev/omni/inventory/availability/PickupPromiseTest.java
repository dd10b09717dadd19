package dev.omni.inventory.availability;

import dev.omni.inventory.location.OpeningHours;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PickupPromiseTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final OpeningHours MONDAY_TO_SATURDAY = OpeningHours.parse(Map.of("MONDAY", "10:00-20:00",
            "TUESDAY", "10:00-20:00", "WEDNESDAY", "10:00-20:00", "THURSDAY", "10:00-20:00", "FRIDAY", "10:00-20:00",
            "SATURDAY", "10:00-20:00"));

    static PickupPromise promise(int day, int hour) {
        return PickupPromise.of(MONDAY_TO_SATURDAY, BERLIN,
                ZonedDateTime.of(2026, 11, day, hour, 0, 0, 0, BERLIN).toInstant(), Duration.ofHours(2)).orElseThrow();
    }

    @Test
    void readyTodayWhenTheStoreHasTimeToPrepare() {
        PickupPromise promise = promise(23, 11);
        assertThat(promise.promise()).isEqualTo(PickupPromise.Promise.TODAY);
        assertThat(promise.readyAt().toString()).isEqualTo("2026-11-23T13:00+01:00");
    }

    @Test
    void readyTomorrowAfterLateOrders() {
        assertThat(promise(23, 19).promise()).isEqualTo(PickupPromise.Promise.TOMORROW);
        assertThat(promise(23, 22).readyAt().toString()).isEqualTo("2026-11-24T12:00+01:00");
    }

    @Test
    void laterOverASunday() {
        PickupPromise promise = promise(28, 19);
        assertThat(promise.promise()).isEqualTo(PickupPromise.Promise.LATER);
        assertThat(promise.readyAt().toString()).isEqualTo("2026-11-30T11:00+01:00");
    }

    @Test
    void neverOpenPromisesNothing() {
        assertThat(PickupPromise.of(OpeningHours.parse(Map.of()), BERLIN, java.time.Instant.now(), Duration.ZERO))
                .isEmpty();
    }
}
