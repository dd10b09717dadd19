package dev.omni.inventory.reservation;

import dev.omni.inventory.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A reservation as clients ask for it. Click and collect names {@code pickupLocationId}; a line without
 * {@code locationId} is reserved there. {@code channel} (default {@code web}) sets the lifetime: a channel without a
 * lifetime of its own ({@code omni.inventory.reservation.ttl."<channel>"}) gets the default.
 */
public record ReservationRequest(
        @Size(max = 100) String profileId,
        @Pattern(regexp = "[a-z][a-z_]{1,29}", message = "a channel name such as web, app, click_and_collect")
        String channel,
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String pickupLocationId,
        @NotEmpty List<@Valid @NotNull Line> lines,
        Boolean allowReallocation,
        @DecimalMin("0.1") @DecimalMax("500") Double reallocationRadiusKm) {

    public record Line(
            @NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String sku,
            @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String locationId,
            @NotNull @Min(1) @Max(1_000_000) Integer quantity) {
    }
}
