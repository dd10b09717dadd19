package dev.omni.inventory.sku;

import dev.omni.inventory.Ids;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/** A SKU as clients send it; {@code sku} may be left out of a PUT, whose path names it. */
public record SkuRequest(
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String sku,
        @NotNull @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String productId,
        @NotBlank @Size(max = 300) String name,
        @Size(max = 20) Map<@NotBlank @Size(max = 50) String, @NotNull @Size(max = 100) String> attributes) {
}
