package dev.omni.inventory.availability;

import dev.omni.inventory.location.OpeningHours;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * When a customer can collect at a store: {@code TODAY}, {@code TOMORROW} or {@code LATER}, and the local time the
 * order is ready, counting the preparation time only while the store is open.
 */
public record PickupPromise(Promise promise, OffsetDateTime readyAt) {

    public enum Promise {
        TODAY, TOMORROW, LATER
    }

    /** Empty when the store does not open within two weeks. */
    public static java.util.Optional<PickupPromise> of(OpeningHours hours, ZoneId zone, Instant now,
            Duration preparation) {
        ZonedDateTime local = now.atZone(zone);
        return hours.readyAfter(local, preparation).map(ready -> {
            long days = ChronoUnit.DAYS.between(local.toLocalDate(), ready.toLocalDate());
            Promise promise = days == 0 ? Promise.TODAY : days == 1 ? Promise.TOMORROW : Promise.LATER;
            return new PickupPromise(promise, ready.toOffsetDateTime().truncatedTo(ChronoUnit.MINUTES));
        });
    }
}
