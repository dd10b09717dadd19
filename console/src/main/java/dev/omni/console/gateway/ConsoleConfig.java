package dev.omni.console.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Where the console reads its data, and how it gets its own token for that. */
@ConfigMapping(prefix = "omni.console")
public interface ConsoleConfig {

    /** The gateway's public API; the console never calls a service directly. */
    @WithDefault("http://localhost:8080")
    String gatewayUrl();

    /** The console's service account: client-credentials token asking for these scopes. */
    ServiceAccount serviceAccount();

    interface ServiceAccount {
        @WithDefault("admin")
        String scope();

        /** A token is fetched again this long before it expires. */
        @WithDefault("30s")
        Duration renewBefore();
    }
}
