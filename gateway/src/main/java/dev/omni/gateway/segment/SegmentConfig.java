package dev.omni.gateway.segment;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

/**
 * {@code omni.gateway.segment.*}: the Segment HTTP Tracking API of the gateway. Each source is a write key and the
 * Omni channel its events are recorded on, e.g. {@code omni.gateway.segment.sources.webshop.write-key=…} and
 * {@code ….channel=web}. Without sources every write key is refused (401).
 */
@ConfigMapping(prefix = "omni.gateway.segment")
public interface SegmentConfig {

    Map<String, Source> sources();

    /** Segment's limit for one call and for one event of a batch (measured uncompressed). */
    @WithDefault("32K")
    MemorySize maxCallSize();

    /** Segment's limit for one {@code /v1/batch} or {@code /v1/import} request (measured uncompressed). */
    @WithDefault("500K")
    MemorySize maxBatchSize();

    /** Segment's limit of events in one batch. */
    @WithDefault("2500")
    int maxBatchEvents();

    interface Source {
        /** The write key the SDK is configured with; it arrives as the HTTP Basic user name (or {@code writeKey}). */
        String writeKey();

        /** The Omni channel of the source's events: web, app, store, pos, call_centre, … */
        String channel();
    }
}
