package dev.omni.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * What a service with a database needs: a fresh database ({@link PostgresResource}) and a broker of its own
 * ({@link KafkaResource}) for the test class. Annotate the class with
 * {@code @WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)}.
 */
public class ServiceInfraResource implements QuarkusTestResourceLifecycleManager {

    private final PostgresResource postgres = new PostgresResource();
    private final KafkaResource kafka = new KafkaResource();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(postgres.start());
        config.putAll(kafka.start());
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        kafka.inject(injector);
    }

    @Override
    public void stop() {
        try {
            kafka.stop();
        } finally {
            postgres.stop();
        }
    }
}
