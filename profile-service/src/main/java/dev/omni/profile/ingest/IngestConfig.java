package dev.omni.profile.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Accepting events into the accept log and resolving them from it. */
@ConfigMapping(prefix = "omni.ingest")
public interface IngestConfig {

    /** Whether this instance resolves accepted events (it still accepts them when false). */
    @WithDefault("true")
    boolean resolverEnabled();

    /** How often an idle resolver looks for accepted events; an accept wakes it at once. */
    @WithDefault("0.1s")
    Duration pollInterval();

    /** Accepted events read per resolver round; known customers among them are applied in one transaction. */
    @WithDefault("500")
    int batchSize();

    /**
     * How far behind the newest event it read a round starts reading the log. An accept that commits this much later
     * than a later-numbered one was read is picked up by the next read from the head ({@link #headInterval}).
     */
    @WithDefault("2s")
    Duration resumeMargin();

    /** How often a round reads the log from its head instead of from where the last rounds ended. */
    @WithDefault("10s")
    Duration headInterval();

    /** How long a request with wait=true waits for its events' profiles before answering without them. */
    @WithDefault("30s")
    Duration waitTimeout();
}
