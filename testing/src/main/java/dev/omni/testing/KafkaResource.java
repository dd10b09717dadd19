package dev.omni.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

import java.util.Map;

/**
 * A broker of the test class's own, so no record of another class is ever read; fields annotated
 * {@link InjectKafkaCompanion} get a {@link KafkaCompanion} on it to produce and consume test records.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private KafkaBroker broker;
    private KafkaCompanion companion;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.start();
        companion = new KafkaCompanion(broker.bootstrapServers());
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(companion,
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaCompanion.class, KafkaCompanion.class));
    }

    @Override
    public void stop() {
        if (companion != null) {
            companion.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
