package dev.omni.platform.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of a service's HTTP API ({@link LoadShedding}). Environment: {@code OMNI_HTTP_MAX_IN_FLIGHT}. */
@ConfigMapping(prefix = "omni.http")
public interface HttpLimitsConfig {

    /**
     * {@code /api} requests served at once; more are refused with 503 and {@code Retry-After}. 0 turns shedding off.
     * The default keeps the database pool's queue (20 connections) well inside its 30 s wait.
     */
    @WithDefault("128")
    int maxInFlight();
}
