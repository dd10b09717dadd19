package dev.omni.gateway.availability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "omni.gateway.availability")
public interface AvailabilityConfig {

    /** The channel whose availability storefronts show as "online" ({@code ChannelAvailabilityChanged.channel}). */
    @WithDefault("online")
    String onlineChannel();

    /** Event ids remembered to drop redeliveries. */
    @WithDefault("100000")
    int recentEventIds();

    /** Radius of "nearest stores" when the storefront gives none. */
    @WithDefault("25")
    double defaultRadiusKm();
}
