package dev.omni.profile.continuity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Set;

@ConfigMapping(prefix = "omni.continuity")
public interface ContinuityConfig {

    /** How many recently viewed items a profile keeps. */
    @WithDefault("20")
    int recentlyViewedSize();

    /** Tracked events that put {@code properties.sku} on the recently viewed list. */
    @WithDefault("product_viewed")
    Set<String> viewedEvents();
}
