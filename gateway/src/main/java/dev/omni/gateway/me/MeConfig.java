package dev.omni.gateway.me;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "omni.gateway.me")
public interface MeConfig {

    /** How long {@code GET /api/me} waits for one part before answering without it. */
    @WithDefault("2s")
    Duration partTimeout();
}
