package dev.omni.e2e;

import dev.omni.testing.Suite;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * One {@link Suite} for every test class of this module ({@code @ExtendWith(SharedSuite.class)}, then
 * {@link #suite()}): the first class starts it, the end of the test run stops it, so the module pays for Keycloak,
 * five apps and their databases once. Failsafe runs the classes in alphabetical order (see the pom):
 * {@link BadInputIT} counts every table's rows on the fresh suite before the stories write theirs.
 */
public final class SharedSuite implements BeforeAllCallback {

    private static Suite suite;

    /** The running suite; only inside a class extended with this. */
    public static Suite suite() {
        if (suite == null) {
            throw new IllegalStateException("no suite: extend the test class with @ExtendWith(SharedSuite.class)");
        }
        return suite;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(SharedSuite.class,
                key -> new Running(start()), Running.class);
    }

    private static Suite start() {
        Suite.Builder builder = Suite.builder()
                // a marketing message at night would be held until 08:00: these stories run at any hour
                .config("messaging", "omni.messaging.quiet-hours.enabled", "false")
                .config("messaging", "omni.messaging.dispatch.poll-interval", "0.2s")
                .config("messaging", "omni.messaging.journeys.poll-interval", "0.2s")
                // the stories install the cart journey with its waits shortened to seconds (the shipped one waits
                // hours)
                .config("messaging", "omni.messaging.journeys.install-built-ins", "false")
                // BadInputIT's Segment source (HTTP Basic, the write key as user)
                .config("gateway", "omni.gateway.segment.sources.bad-input.write-key", BadInputIT.WRITE_KEY)
                .config("gateway", "omni.gateway.segment.sources.bad-input.channel", "web");
        // thousands of requests a minute from one caller: they must reach the endpoints, not the rate limit (which
        // the gateway's own tests prove)
        builder.config("gateway", "omni.gateway.rate-limit.default.capacity", "1000000");
        for (String scope : List.of("customer", "public", "segment", "storefront", "events:write", "stock:write")) {
            String key = scope.contains(":") ? "\"" + scope + "\"" : scope;
            builder.config("gateway", "omni.gateway.rate-limit.scopes." + key + ".capacity", "1000000");
        }
        suite = builder.start();
        return suite;
    }

    /** Closed by JUnit when the root context closes: after the last class of the run. */
    private record Running(Suite suite) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            suite.close();
            SharedSuite.suite = null;
        }
    }
}
