package dev.omni.gateway.caller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Set;

/** How the gateway tells a customer's token from a client's, and finds the customer's profile. */
@ConfigMapping(prefix = "omni.gateway.customers")
public interface CustomersConfig {

    /** Realm role of shoppers. */
    @WithDefault("customer")
    String role();

    /** Public clients end users log in with: their tokens are customer tokens even without the role. */
    @WithDefault("storefront-app")
    Set<String> clients();

    /** How long a customer's profile id is remembered (profile-service is asked again after). */
    @WithDefault("5m")
    Duration profileCacheTtl();

    @WithDefault("10000")
    int profileCacheSize();
}
