package dev.omni.inventory.subscription;

import dev.omni.inventory.Ids;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Without {@code locationId} the profile waits for the sku online. */
public record SubscriptionRequest(
        @NotBlank @Size(max = 100) String profileId,
        @NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String sku,
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String locationId) {
}
