package dev.omni.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.testcontainers.kafka.KafkaContainer;

/** A single-node KRaft Kafka broker: in this JVM by default, in a container with {@code -Dinfra=containers}. */
public abstract class KafkaBroker implements AutoCloseable {

    public static KafkaBroker start() {
        return InfraMode.current() == InfraMode.CONTAINERS ? new Container() : new InProcess();
    }

    public abstract String bootstrapServers();

    @Override
    public abstract void close();

    /** Kafka's own test kit (internal API, kept behind this class): combined broker+controller, one node. */
    private static final class InProcess extends KafkaBroker {
        private final KafkaClusterTestKit cluster;

        InProcess() {
            try {
                cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "true")
                        .setConfigProp("num.partitions", "3")
                        .build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
            } catch (Exception e) {
                throw new IllegalStateException("in-process Kafka did not start", e);
            }
        }

        @Override
        public String bootstrapServers() {
            return cluster.bootstrapServers();
        }

        @Override
        public void close() {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException("in-process Kafka did not stop", e);
            }
        }
    }

    private static final class Container extends KafkaBroker {
        private final KafkaContainer container = new KafkaContainer("apache/kafka-native:4.0.0");

        Container() {
            container.withEnv("KAFKA_NUM_PARTITIONS", "3").start();
        }

        @Override
        public String bootstrapServers() {
            return container.getBootstrapServers();
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
