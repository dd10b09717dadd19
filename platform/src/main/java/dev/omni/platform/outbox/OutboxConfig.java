package dev.omni.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "omni.outbox")
public interface OutboxConfig {

    /** Whether this instance publishes outbox rows (every replica may; rows are claimed with SKIP LOCKED). */
    @WithDefault("true")
    boolean enabled();

    /** How often an idle relay looks for new rows; a full batch is followed at once by the next. */
    @WithDefault("0.1s")
    Duration pollInterval();

    /** Rows claimed, sent and deleted per transaction. */
    @WithDefault("500")
    int batchSize();

    /**
     * How far before the newest published row the next claim starts reading: longer than a transaction that writes
     * outbox rows takes from its first row to its commit, so its rows are claimed right after it commits.
     */
    @WithDefault("2s")
    Duration resumeMargin();

    /** How often a claim reads from the head of the outbox, for rows committed later than the margin allows. */
    @WithDefault("10s")
    Duration headInterval();
}
