package dev.omni.inventory.location;

import dev.omni.inventory.Ids;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/** A location as clients send it; {@code id} may be left out of a PUT, whose path names it. */
public record LocationRequest(
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
        @NotBlank @Size(max = 200) String name,
        @NotNull @Pattern(regexp = "STORE|WAREHOUSE|ONLINE_DC", message = "one of STORE, WAREHOUSE, ONLINE_DC")
        String type,
        @NotNull @DecimalMin("-90") @DecimalMax("90") Double latitude,
        @NotNull @DecimalMin("-180") @DecimalMax("180") Double longitude,
        @NotBlank @Size(max = 64) String timeZone,
        Boolean pickupEnabled,
        Boolean fulfilsOnline,
        Map<String, String> openingHours) {
}
