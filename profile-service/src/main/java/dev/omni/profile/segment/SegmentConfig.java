package dev.omni.profile.segment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "omni.segments")
public interface SegmentConfig {

    /**
     * How often windows are checked for interactions that aged out (and new segments backfilled); also bounds how
     * late a membership change caused by time passing is published. At least 1s.
     */
    @WithDefault("1m")
    Duration sweepInterval();

    /** Profiles evaluated per transaction by the sweep. */
    @WithDefault("100")
    int sweepBatch();

    /** How long this instance reuses the segment definitions it read before reading them again. */
    @WithDefault("5s")
    Duration catalogRefresh();
}
