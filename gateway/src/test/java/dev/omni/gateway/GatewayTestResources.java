package dev.omni.gateway;

import dev.omni.testing.KafkaResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

import java.util.HashMap;
import java.util.Map;

/**
 * What a gateway test class needs: a Kafka broker of its own, the OIDC test server (WireMock serving discovery and
 * the keys that {@code Jwt...sign()} tokens are checked against), and stubs of the four services. Annotate with
 * {@code @WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)}.
 */
public class GatewayTestResources implements QuarkusTestResourceLifecycleManager {

    private final KafkaResource kafka = new KafkaResource();
    private final OidcWiremockTestResource oidc = new OidcWiremockTestResource();
    private StubServices services;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(kafka.start());
        config.putAll(oidc.start());
        services = new StubServices();
        services.reset();
        config.putAll(services.upstreamConfig());
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        kafka.inject(injector);
        services.injectInto(injector);
    }

    @Override
    public void stop() {
        try {
            if (services != null) {
                services.close();
            }
            oidc.stop();
        } finally {
            kafka.stop();
        }
    }
}
