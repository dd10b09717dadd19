package dev.omni.gateway.upstream;

import java.util.Locale;

/** The services behind the gateway; each has its own URL, timeouts and circuit breaker ({@link UpstreamsConfig}). */
public enum Upstream {
    PROFILE, INVENTORY, MESSAGING, ATTRIBUTION;

    /** The key under {@code omni.gateway.upstreams}, e.g. {@code profile}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
