package dev.omni.k8s;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashSet;
import java.util.Set;

/**
 * Quarkus hands every {@code kafka.*} property (and every {@code KAFKA_*} environment variable, lower-cased with
 * '_' turned into '.') to the Kafka clients of the default broker configuration. An environment variable of that
 * form is read when its property is one the Kafka clients (kafka-clients, as managed by the Quarkus BOM) know.
 */
final class KafkaClientConfig {
    private static final Set<String> NAMES = new HashSet<>();

    static {
        NAMES.addAll(ProducerConfig.configNames());
        NAMES.addAll(ConsumerConfig.configNames());
        NAMES.addAll(AdminClientConfig.configNames());
    }

    private KafkaClientConfig() {
    }

    static boolean isClientProperty(String env) {
        return env.startsWith("KAFKA_") && NAMES.contains(env.substring("KAFKA_".length()).toLowerCase().replace('_', '.'));
    }
}
