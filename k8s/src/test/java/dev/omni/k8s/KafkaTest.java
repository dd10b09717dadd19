package dev.omni.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Kafka topics and users agree with dev.omni:contracts (Topics, EventType, asyncapi.yaml) and the services' code. */
class KafkaTest {

    /** Every topic of the contract: the constants of Topics and the topics of every EventType. */
    static Set<String> contractTopics() {
        Set<String> topics = new TreeSet<>();
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().equals("DLQ_SUFFIX")) {
                try {
                    topics.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        Arrays.stream(EventType.values()).map(EventType::topic).forEach(topics::add);
        return topics;
    }

    static Stream<Arguments> overlaysAndServices() {
        return Repo.OVERLAYS.stream().flatMap(o -> Repo.kafkaClients().stream().map(s -> Arguments.of(o, s)));
    }

    private static String topicName(JsonNode topic) {
        return topic.path("spec").path("topicName").asText(Manifests.name(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void every_topic_of_the_contract_and_its_dead_letter_topic_has_a_kafka_topic_and_nothing_else_does(String overlay) {
        Set<String> expected = new TreeSet<>();
        for (String topic : contractTopics()) {
            expected.add(topic);
            expected.add(Topics.deadLetter(topic));
        }
        assertThat(contractTopics()).hasSizeGreaterThanOrEqualTo(6);
        Manifests m = Manifests.of(overlay);
        assertThat(m.ofKind("KafkaTopic").map(KafkaTest::topicName)).containsExactlyInAnyOrderElementsOf(expected);
        String cluster = Manifests.name(m.ofKind("Kafka").findFirst().orElseThrow());
        assertThat(m.ofKind("KafkaTopic")).allSatisfy(t ->
                assertThat(t.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(cluster));
        assertThat(m.ofKind("KafkaUser")).allSatisfy(t ->
                assertThat(t.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(cluster));
        assertThat(m.ofKind("KafkaNodePool")).allSatisfy(t ->
                assertThat(t.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(cluster));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void cleanup_policy_is_the_contracts_and_only_compacted_topics_are_compacted(String overlay) {
        Manifests.of(overlay).ofKind("KafkaTopic").forEach(t -> {
            String name = topicName(t);
            String policy = t.path("spec").path("config").path("cleanup.policy").asText("delete");
            if (name.endsWith(Topics.DLQ_SUFFIX)) {
                assertThat(policy).as(name + ": poison records are kept by time").isEqualTo("delete");
                return;
            }
            JsonNode stated = AsyncApi.topicConfiguration(name).path("cleanup.policy");
            String expected = stated.isMissingNode() ? "delete"
                    : java.util.stream.StreamSupport.stream(stated.spliterator(), false).map(JsonNode::asText)
                            .collect(Collectors.joining(","));
            assertThat(policy).as(name).isEqualTo(expected);
            if (policy.equals("delete")) {
                assertThat(t.path("spec").path("config").path("retention.ms").asLong()).as(name + " retention")
                        .isGreaterThanOrEqualTo(24L * 3600 * 1000);
            }
        });
        assertThat(Manifests.of(overlay).get("KafkaTopic", Topics.AVAILABILITY).path("spec").path("config")
                .path("cleanup.policy").asText()).isEqualTo("compact");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void replication_fits_the_number_of_kafka_nodes(String overlay) {
        Manifests m = Manifests.of(overlay);
        int brokers = m.ofKind("KafkaNodePool").filter(p -> p.path("spec").path("roles").toString().contains("broker"))
                .mapToInt(p -> p.path("spec").path("replicas").asInt()).sum();
        assertThat(m.ofKind("KafkaNodePool")).anySatisfy(p ->
                assertThat(p.path("spec").path("roles").toString()).contains("controller"));
        JsonNode config = m.ofKind("Kafka").findFirst().orElseThrow().path("spec").path("kafka").path("config");
        assertThat(config.path("auto.create.topics.enable").asBoolean(true)).as("topics only from KafkaTopics").isFalse();
        for (String rf : new String[] {"default.replication.factor", "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor"}) {
            assertThat(config.path(rf).asInt()).as(rf).isEqualTo(Math.min(3, brokers));
        }
        assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(Math.max(1, Math.min(3, brokers) - 1));
        m.ofKind("KafkaTopic").forEach(t -> {
            int replicas = t.path("spec").path("replicas").asInt();
            int minIsr = t.path("spec").path("config").path("min.insync.replicas").asInt();
            assertThat(replicas).as(topicName(t)).isEqualTo(Math.min(3, brokers));
            assertThat(minIsr).as(topicName(t) + " min.insync.replicas: one replica may be down")
                    .isEqualTo(Math.max(1, replicas - 1));
            assertThat(t.path("spec").path("partitions").asInt()).isPositive();
        });
    }

    /** What a service's KafkaUser must allow, from asyncapi.yaml and the consumer groups its configuration uses. */
    static Set<String> expectedAcls(String service) {
        Set<String> acls = new TreeSet<>();
        for (String topic : AsyncApi.topics(service, "send")) {
            acls.add("topic:" + topic + ":literal:Write");
            acls.add("topic:" + topic + ":literal:Describe");
        }
        for (String topic : AsyncApi.topics(service, "receive")) {
            acls.add("topic:" + topic + ":literal:Read");
            acls.add("topic:" + topic + ":literal:Describe");
            acls.add(group(service, topic));
        }
        return acls;
    }

    /**
     * The consumer group of a channel: its group.id, else quarkus.application.name (Quarkus's default). A group.id
     * with a ${...} part (one group per start) needs a prefix ACL on its literal beginning.
     */
    static String group(String service, String topic) {
        ServiceCode code = ServiceCode.of(service);
        String id = code.channelProperty("incoming", topic, "group.id");
        if (id == null) {
            return "group:" + code.applicationName() + ":literal:Read";
        }
        int expression = id.indexOf("${");
        return expression < 0 ? "group:" + id + ":literal:Read" : "group:" + id.substring(0, expression) + ":prefix:Read";
    }

    static Set<String> actualAcls(ObjectNode user) {
        Set<String> acls = new TreeSet<>();
        for (JsonNode rule : user.path("spec").path("authorization").path("acls")) {
            assertThat(rule.path("type").asText("allow")).isEqualTo("allow");
            JsonNode r = rule.path("resource");
            for (JsonNode op : rule.path("operations")) {
                acls.add(r.path("type").asText() + ":" + r.path("name").asText() + ":"
                        + r.path("patternType").asText("literal") + ":" + op.asText());
            }
        }
        return acls;
    }

    @ParameterizedTest
    @MethodSource("overlaysAndServices")
    void each_services_kafka_user_may_do_exactly_what_the_contract_says(String overlay, String service) {
        ObjectNode user = Manifests.of(overlay).get("KafkaUser", service);
        assertThat(user.path("spec").path("authorization").path("type").asText()).isEqualTo("simple");
        assertThat(expectedAcls(service)).as("asyncapi.yaml names " + service).isNotEmpty();
        assertThat(actualAcls(user)).containsExactlyInAnyOrderElementsOf(expectedAcls(service));
    }

    @ParameterizedTest
    @MethodSource("overlaysAndServices")
    void the_channels_in_a_services_configuration_are_in_the_contract(String overlay, String service) {
        ServiceCode code = ServiceCode.of(service);
        assertThat(AsyncApi.topics(service, "receive")).containsAll(code.channels("incoming"));
        Set<String> sends = AsyncApi.topics(service, "send");
        assertThat(sends).containsAll(code.channels("outgoing").stream()
                .map(c -> code.channelProperty("outgoing", c, "topic") != null ? code.channelProperty("outgoing", c, "topic") : c)
                .toList());
        for (String channel : code.channels("incoming")) {
            String dlq = code.channelProperty("incoming", channel, "dead-letter-queue.topic");
            assertThat(dlq).as(service + " " + channel + " dead-letter topic").isEqualTo(Topics.deadLetter(channel));
            assertThat(sends).contains(dlq);
        }
        Set<String> allowed = actualAcls(Manifests.of(overlay).get("KafkaUser", service));
        code.channels("incoming").forEach(c -> assertThat(allowed).contains("topic:" + c + ":literal:Read", group(service, c)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void there_is_one_kafka_user_per_service(String overlay) {
        assertThat(Manifests.of(overlay).ofKind("KafkaUser").map(Manifests::name))
                .containsExactlyInAnyOrderElementsOf(Repo.kafkaClients());
    }
}
