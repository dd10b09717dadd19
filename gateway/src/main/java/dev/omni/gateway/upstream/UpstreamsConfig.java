package dev.omni.gateway.upstream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** {@code omni.gateway.upstreams.<profile|inventory|messaging|attribution>.*}: where each service is, how long to wait. */
@ConfigMapping(prefix = "omni.gateway")
public interface UpstreamsConfig {

    Map<String, Target> upstreams();

    /** Largest request body the gateway accepts (and forwards). */
    @WithDefault("1M")
    io.quarkus.runtime.configuration.MemorySize maxBodySize();

    interface Target {
        URI url();

        @WithDefault("1s")
        Duration connectTimeout();

        /** No byte from the service for this long: 504 (the request is abandoned). */
        @WithDefault("10s")
        Duration readTimeout();

        /** Further attempts for idempotent requests without a body when the service cannot be reached or times out. */
        @WithDefault("2")
        int retries();

        CircuitBreaker circuitBreaker();
    }

    /** Opens when {@code failureRatio} of the last {@code requestVolume} calls failed; tries again after {@code delay}. */
    interface CircuitBreaker {
        @WithDefault("20")
        int requestVolume();

        @WithDefault("0.5")
        double failureRatio();

        @WithDefault("10s")
        Duration delay();
    }
}
