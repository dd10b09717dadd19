package dev.omni.gateway.keycloak;

import dev.omni.gateway.StubServices;
import dev.omni.testing.KafkaResource;
import dev.omni.testing.KeycloakServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway against a real Keycloak with realm {@code omni} as the launcher imports it ({@link KeycloakServer}),
 * a Kafka broker of its own and WireMock stubs of the four services.
 */
public class RealKeycloakResources implements QuarkusTestResourceLifecycleManager {

    public static final String REALM = "omni";

    private final KafkaResource kafka = new KafkaResource();
    private KeycloakServer keycloak;
    private StubServices services;

    @Override
    public Map<String, String> start() {
        keycloak = KeycloakServer.start(Paths.get(System.getProperty("omni.keycloak.realm",
                "../launcher/keycloak/omni-realm.json")), REALM);
        Map<String, String> config = new HashMap<>(kafka.start());
        String realm = keycloak.url() + "/realms/" + REALM;
        for (String profile : new String[] { "", "%test." }) {
            config.put(profile + "quarkus.oidc.auth-server-url", realm);
            config.put(profile + "quarkus.oidc.token.issuer", realm);
        }
        config.put("omni.keycloak.test.url", keycloak.url());
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
            if (keycloak != null) {
                keycloak.close();
            }
        } finally {
            kafka.stop();
        }
    }
}
