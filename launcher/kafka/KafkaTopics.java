import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates (or repairs) Omni's Kafka topics; used by {@code ./omni up}. Idempotent: a topic that exists is checked
 * and, when it has fewer partitions or other settings than wanted (cleanup policy; for a compacted topic its segment
 * and compaction settings), altered in place.
 * Run as a single source file (JDK 11+), with kafka-clients on the class path:
 * <pre>java -cp kafka-clients.jar:slf4j-api.jar launcher/kafka/KafkaTopics.java 127.0.0.1:9092 name:partitions[:compact] ...</pre>
 * Prints one line per topic; exits non-zero when the broker does not answer a metadata request.
 */
public class KafkaTopics {

    /**
     * A compacted topic also gets the settings that let compaction run: the broker never compacts the active segment,
     * and with the defaults (1 GiB, 7 days) it never rolls on this machine, so every consumer that reads the topic from
     * the start (the gateway's availability cache) replayed its whole history. Same lag and retention as k8s
     * (base/platform/topics.yaml); segments roll sooner here, so a benchmark's churn is compacted within minutes.
     */
    static final Map<String, String> COMPACTED = Map.of(
            "cleanup.policy", "compact",
            "min.compaction.lag.ms", "60000",
            "delete.retention.ms", "86400000",
            "segment.ms", "600000",
            "segment.bytes", String.valueOf(16 * 1024 * 1024));

    record Spec(String name, int partitions, String cleanupPolicy) {
        static Spec parse(String arg) {
            String[] parts = arg.split(":");
            return new Spec(parts[0], Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "delete");
        }

        Map<String, String> configs() {
            return "compact".equals(cleanupPolicy) ? COMPACTED : Map.of("cleanup.policy", cleanupPolicy);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: KafkaTopics <bootstrap> [name:partitions[:compact]]...");
            System.exit(2);
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "omni-launcher");
        List<Spec> specs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            specs.add(Spec.parse(args[i]));
        }
        try (Admin admin = Admin.create(props)) {
            // a metadata round trip: proves the broker is serving, not just listening
            String clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
            int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            System.out.println("cluster " + clusterId + ", " + brokers + " broker(s)");
            for (Spec spec : specs) {
                System.out.println(ensure(admin, spec));
            }
        }
    }

    private static String ensure(Admin admin, Spec spec) throws Exception {
        NewTopic topic = new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs());
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            return "created  " + describe(spec);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        List<String> changes = new ArrayList<>();
        TopicDescription description = admin.describeTopics(List.of(spec.name())).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(spec.name());
        int partitions = description.partitions().size();
        if (partitions < spec.partitions()) {
            admin.createPartitions(Map.of(spec.name(), NewPartitions.increaseTo(spec.partitions())))
                    .all().get(30, TimeUnit.SECONDS);
            changes.add("partitions " + partitions + " -> " + spec.partitions());
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        List<AlterConfigOp> ops = new ArrayList<>();
        spec.configs().forEach((key, wanted) -> {
            ConfigEntry entry = config.get(key);
            if (entry == null || !wanted.equals(entry.value())) {
                ops.add(new AlterConfigOp(new ConfigEntry(key, wanted), AlterConfigOp.OpType.SET));
                changes.add(key + " " + (entry == null ? "?" : entry.value()) + " -> " + wanted);
            }
        });
        if (!ops.isEmpty()) {
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(30, TimeUnit.SECONDS);
        }
        return (changes.isEmpty() ? "exists   " : "fixed    ") + describe(spec)
                + (changes.isEmpty() ? "" : " (" + String.join(", ", changes) + ")");
    }

    private static String describe(Spec spec) {
        return spec.name() + " partitions=" + spec.partitions() + " cleanup.policy=" + spec.cleanupPolicy();
    }
}
