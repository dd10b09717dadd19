package dev.omni.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may talk to whom, evaluated from the rendered NetworkPolicies (and the Kafka listener's networkPolicyPeers,
 * which Strimzi turns into the brokers' policy): the gateway reaches the services, the services reach Kafka and
 * PostgreSQL, and nothing else reaches the services.
 */
class NetworkPolicyTest {

    /** A pod as NetworkPolicies see it: namespace, labels, named container ports; or an address outside the cluster. */
    record Pod(String name, String namespace, Map<String, String> labels, Map<String, Integer> ports, boolean external) {
        static Pod external(String name) {
            return new Pod(name, null, Map.of(), Map.of(), true);
        }
    }

    private final Map<String, Pod> pods = new HashMap<>();
    private Manifests m;
    private String ns;

    private void world(String overlay) {
        m = Manifests.of(overlay);
        ns = Manifests.name(m.ofKind("Namespace").findFirst().orElseThrow());
        m.ofKind("Deployment").forEach(d -> {
            Map<String, String> labels = new HashMap<>();
            d.path("spec").path("template").path("metadata").path("labels").fields()
                    .forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            Map<String, Integer> ports = new HashMap<>();
            Manifests.container(d).path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
            pods.put(Manifests.name(d), new Pod(Manifests.name(d), ns, labels, ports, false));
        });
        String kafka = Manifests.name(m.ofKind("Kafka").findFirst().orElseThrow());
        pods.put("kafka", new Pod("kafka", ns, Map.of("strimzi.io/cluster", kafka, "strimzi.io/kind", "Kafka",
                "strimzi.io/broker-role", "true"), Map.of(), false));
        String pg = Manifests.name(m.ofKind("Cluster").findFirst().orElseThrow());
        pods.put("postgres", new Pod("postgres", ns, Map.of("cnpg.io/cluster", pg), Map.of(), false));
        String keycloak = Manifests.name(m.ofKind("Keycloak").findFirst().orElseThrow());
        pods.put("keycloak", new Pod("keycloak", ns, Map.of("app", "keycloak", "app.kubernetes.io/instance", keycloak),
                Map.of(), false));
        pods.put("ingress-controller", new Pod("ingress-controller", "ingress-nginx",
                Map.of("app.kubernetes.io/name", "ingress-nginx"), Map.of(), false));
        pods.put("cnpg-operator", new Pod("cnpg-operator", "cnpg-system", Map.of("app.kubernetes.io/name", "cloudnative-pg"),
                Map.of(), false));
        pods.put("stranger", new Pod("stranger", "other", Map.of("app.kubernetes.io/name", "stranger"), Map.of(), false));
        pods.put("internet", Pod.external("internet"));
    }

    boolean allowed(String from, String to, int port) {
        Pod src = pods.get(from);
        Pod dst = pods.get(to);
        return (src.external || allows(src, "Egress", dst, port, dst)) && (dst.external || allows(dst, "Ingress", src, port, dst));
    }

    /** Whether the policies selecting {@code pod} let traffic of {@code direction} with {@code peer} on {@code port}. */
    private boolean allows(Pod pod, String direction, Pod peer, int port, Pod destination) {
        List<JsonNode> rules = new ArrayList<>();
        boolean isolated = false;
        for (ObjectNode policy : m.ofKind("NetworkPolicy").toList()) {
            if (!pod.namespace.equals(ns) || !selects(policy.path("spec").path("podSelector"), pod.labels)
                    || !policy.path("spec").path("policyTypes").toString().contains(direction)) {
                continue;
            }
            isolated = true;
            policy.path("spec").path(direction.equals("Ingress") ? "ingress" : "egress").forEach(rules::add);
        }
        if (pod.name.equals("kafka") && direction.equals("Ingress")) {
            // Strimzi's policy for the brokers: each listener's port, from its networkPolicyPeers
            isolated = true;
            for (JsonNode listener : m.ofKind("Kafka").findFirst().orElseThrow().path("spec").path("kafka").path("listeners")) {
                ObjectNode rule = Manifests.YAML.createObjectNode();
                rule.set("from", listener.path("networkPolicyPeers"));
                rule.putArray("ports").addObject().put("port", listener.path("port").asInt());
                rules.add(rule);
            }
        }
        if (!isolated) {
            return true;
        }
        String peersField = direction.equals("Ingress") ? "from" : "to";
        for (JsonNode rule : rules) {
            boolean peerOk = rule.path(peersField).isEmpty(); // absent or [] = every peer
            for (JsonNode p : rule.path(peersField)) {
                peerOk |= matches(p, peer);
            }
            boolean portOk = rule.path("ports").isEmpty(); // absent or [] = every port
            for (JsonNode p : rule.path("ports")) {
                JsonNode value = p.path("port");
                portOk |= value.isMissingNode() || value.isInt() && value.asInt() == port
                        || value.isTextual() && Integer.valueOf(port).equals(destination.ports.get(value.asText()));
            }
            if (peerOk && portOk) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(JsonNode peer, Pod pod) {
        if (peer.has("ipBlock")) {
            return pod.external; // the policies here use ipBlocks only for addresses outside the cluster
        }
        if (pod.external) {
            return false;
        }
        boolean namespaceOk = peer.has("namespaceSelector")
                ? selects(peer.path("namespaceSelector"), Map.of("kubernetes.io/metadata.name", pod.namespace))
                : pod.namespace.equals(ns);
        boolean podOk = !peer.has("podSelector") || selects(peer.path("podSelector"), pod.labels);
        return namespaceOk && podOk;
    }

    private static boolean selects(JsonNode selector, Map<String, String> labels) {
        boolean[] ok = {true};
        selector.path("matchLabels").fields().forEachRemaining(f -> ok[0] &= f.getValue().asText().equals(labels.get(f.getKey())));
        for (JsonNode e : selector.path("matchExpressions")) {
            String value = labels.get(e.path("key").asText());
            List<String> values = new ArrayList<>();
            e.path("values").forEach(v -> values.add(v.asText()));
            ok[0] &= switch (e.path("operator").asText()) {
                case "In" -> values.contains(value);
                case "NotIn" -> !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("operator " + e);
            };
        }
        return ok[0];
    }

    private int port(String service) {
        return ServiceCode.of(service).httpPort();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void only_the_gateway_reaches_the_services(String overlay) {
        world(overlay);
        List<String> services = Repo.backends();
        for (String service : services) {
            assertThat(allowed("gateway", service, port(service))).as("gateway -> " + service).isTrue();
            assertThat(allowed("gateway", service, 5005)).as("gateway -> " + service + " other port").isFalse();
            for (String other : services) {
                assertThat(allowed(other, service, port(service))).as(other + " -> " + service).isFalse();
            }
            for (String outsider : List.of("console", "ingress-controller", "stranger", "keycloak", "kafka", "postgres")) {
                assertThat(allowed(outsider, service, port(service))).as(outsider + " -> " + service).isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void the_ingress_controller_reaches_the_gateway_and_nobody_else_does(String overlay) {
        world(overlay);
        assertThat(allowed("ingress-controller", "gateway", port("gateway"))).isTrue();
        assertThat(allowed("stranger", "gateway", port("gateway"))).isFalse();
        assertThat(allowed("profile-service", "gateway", port("gateway"))).isFalse();
        assertThat(allowed("ingress-controller", "console", port("console"))).isTrue();
        assertThat(allowed("stranger", "console", port("console"))).isFalse();
        assertThat(allowed("gateway", "console", port("console"))).isFalse();
        Repo.backends().forEach(s -> assertThat(allowed(s, "console", port("console"))).as(s + " -> console").isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void the_console_reaches_the_gateway_and_keycloak_and_nothing_else(String overlay) {
        world(overlay);
        assertThat(allowed("console", "gateway", port("gateway"))).isTrue();
        assertThat(allowed("console", "keycloak", 8080)).isTrue();
        assertThat(allowed("console", "kafka", 9093)).isFalse();
        assertThat(allowed("console", "postgres", 5432)).isFalse();
        assertThat(allowed("console", "internet", 443)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void services_reach_kafka_and_postgresql_and_only_those_with_a_database_reach_postgresql(String overlay) {
        world(overlay);
        for (String service : Repo.services()) {
            assertThat(allowed(service, "kafka", 9093)).as(service + " -> kafka")
                    .isEqualTo(Repo.kafkaClients().contains(service));
            assertThat(allowed(service, "kafka", 9092)).as(service + " -> kafka plain port").isFalse();
            boolean hasDb = ServiceCode.of(service).property("omni.db.name") != null;
            assertThat(allowed(service, "postgres", 5432)).as(service + " -> postgres").isEqualTo(hasDb);
        }
        assertThat(allowed("stranger", "kafka", 9093)).isFalse();
        assertThat(allowed("stranger", "postgres", 5432)).isFalse();
        assertThat(allowed("keycloak", "postgres", 5432)).as("Keycloak's database").isTrue();
        assertThat(allowed("cnpg-operator", "postgres", 8000)).as("the operator's status checks").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void the_gateway_and_the_services_reach_keycloak_and_only_its_http_port(String overlay) {
        // the services check bearer tokens again (omni.auth.enabled), so they read the realm's keys too
        world(overlay);
        Repo.services().forEach(s -> {
            assertThat(allowed(s, "keycloak", 8080)).as(s + " -> keycloak").isTrue();
            assertThat(allowed(s, "keycloak", 9000)).as(s + " -> keycloak management").isFalse();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void only_messaging_sends_email_on_its_configured_smtp_port(String overlay) {
        world(overlay);
        int smtp = Integer.parseInt(ServiceWiringTest.environment(m, "messaging-service").get("OMNI_SMTP_PORT").asText());
        String target = overlay.equals("dev") ? "mailpit" : "internet";
        if (overlay.equals("dev")) {
            assertThat(pods.get("mailpit").ports().values()).contains(smtp);
        }
        assertThat(allowed("messaging-service", target, smtp)).as("messaging -> SMTP " + smtp).isTrue();
        assertThat(allowed("messaging-service", "internet", 443)).as("messaging -> providers").isTrue();
        Repo.services().stream().filter(s -> !s.equals("messaging-service")).forEach(s -> {
            assertThat(allowed(s, "internet", smtp)).as(s + " -> SMTP").isFalse();
            assertThat(allowed(s, "internet", 443)).as(s + " -> internet").isFalse();
        });
    }
}
