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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates (or repairs) Omni's Kafka topics; used by {@code ./omni up}. Idempotent: a topic that exists is checked
 * and, when it has fewer partitions or another cleanup policy than wanted, altered in place.
 * Run as a single source file (JDK 11+), with kafka-clients on the class path:
 * <pre>java -cp kafka-clients.jar:slf4j-api.jar launcher/kafka/KafkaTopics.java 127.0.0.1:9092 name:partitions[:compact] ...</pre>
 * Prints one line per topic; exits non-zero when the broker does not answer a metadata request.
 */
public class KafkaTopics {

    record Spec(String name, int partitions, String cleanupPolicy) {
        static Spec parse(String arg) {
            String[] parts = arg.split(":");
            return new Spec(parts[0], Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "delete");
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
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", spec.cleanupPolicy());
        NewTopic topic = new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(configs);
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
        ConfigEntry policy = config.get("cleanup.policy");
        if (policy == null || !spec.cleanupPolicy().equals(policy.value())) {
            AlterConfigOp op = new AlterConfigOp(new ConfigEntry("cleanup.policy", spec.cleanupPolicy()),
                    AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(30, TimeUnit.SECONDS);
            changes.add("cleanup.policy " + (policy == null ? "?" : policy.value()) + " -> " + spec.cleanupPolicy());
        }
        return (changes.isEmpty() ? "exists   " : "fixed    ") + describe(spec)
                + (changes.isEmpty() ? "" : " (" + String.join(", ", changes) + ")");
    }

    private static String describe(Spec spec) {
        return spec.name() + " partitions=" + spec.partitions() + " cleanup.policy=" + spec.cleanupPolicy();
    }
}
