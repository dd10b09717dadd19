package dev.omni.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** What differs between dev and prod, and what must hold in both: images, hosts, secrets, realm, capacity. */
class EnvironmentTest {

    private static int hpa(Manifests m, String service, String field) {
        return m.get("HorizontalPodAutoscaler", service).path("spec").path(field).asInt();
    }

    @Test
    void dev_runs_one_of_everything_on_small_resources() {
        Manifests m = Manifests.of("dev");
        for (String service : Repo.services()) {
            assertThat(hpa(m, service, "minReplicas")).as(service).isEqualTo(1);
            assertThat(hpa(m, service, "maxReplicas")).as(service).isLessThanOrEqualTo(2);
            JsonNode resources = Manifests.container(m.get("Deployment", service)).path("resources");
            assertThat(Quantity.bytes(resources.path("limits").path("memory").asText())).isLessThanOrEqualTo(512L << 20);
        }
        assertThat(m.ofKind("KafkaNodePool").mapToInt(p -> p.path("spec").path("replicas").asInt()).sum()).isEqualTo(1);
        assertThat(m.get("Cluster", "omni-pg").path("spec").path("instances").asInt()).isEqualTo(1);
        assertThat(m.get("Keycloak", "omni-keycloak").path("spec").path("instances").asInt()).isEqualTo(1);
    }

    @Test
    void prod_runs_at_least_two_replicas_spread_over_nodes_three_kafka_nodes_and_three_postgresql_instances() {
        Manifests m = Manifests.of("prod");
        for (String service : Repo.services()) {
            assertThat(hpa(m, service, "minReplicas")).as(service).isGreaterThanOrEqualTo(2);
            assertThat(hpa(m, service, "maxReplicas")).as(service).isGreaterThan(hpa(m, service, "minReplicas"));
            ObjectNode d = m.get("Deployment", service);
            JsonNode podLabels = d.path("spec").path("template").path("metadata").path("labels");
            JsonNode anti = d.path("spec").path("template").path("spec").path("affinity").path("podAntiAffinity");
            List<JsonNode> terms = new ArrayList<>();
            anti.path("preferredDuringSchedulingIgnoredDuringExecution").forEach(t -> terms.add(t.path("podAffinityTerm")));
            anti.path("requiredDuringSchedulingIgnoredDuringExecution").forEach(terms::add);
            assertThat(terms).as(service + " anti-affinity").anySatisfy(t -> {
                assertThat(t.path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
                t.path("labelSelector").path("matchLabels").fields().forEachRemaining(f ->
                        assertThat(podLabels.path(f.getKey()).asText()).isEqualTo(f.getValue().asText()));
                assertThat(t.path("labelSelector").path("matchLabels").path("app.kubernetes.io/name").asText()).isEqualTo(service);
            });
        }
        assertThat(m.ofKind("KafkaNodePool").mapToInt(p -> p.path("spec").path("replicas").asInt()).sum()).isEqualTo(3);
        JsonNode pg = m.get("Cluster", "omni-pg").path("spec");
        assertThat(pg.path("instances").asInt()).isEqualTo(3);
        assertThat(pg.path("affinity").path("enablePodAntiAffinity").asBoolean()).isTrue();
        assertThat(m.get("Keycloak", "omni-keycloak").path("spec").path("instances").asInt()).isGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void each_service_image_is_named_by_exactly_one_images_entry_and_is_tagged(String overlay) throws Exception {
        JsonNode kustomization = Manifests.YAML.readTree(Repo.overlay(overlay).resolve("kustomization.yaml").toFile());
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        for (JsonNode image : kustomization.path("images")) {
            assertThat(entries.put(image.path("name").asText(), image)).as("one entry per image").isNull();
        }
        Manifests m = Manifests.of(overlay);
        Set<String> repositories = new TreeSet<>();
        for (String service : Repo.services()) {
            String image = Manifests.container(m.get("Deployment", service)).path("image").asText();
            String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image.substring(0, image.lastIndexOf(':'));
            assertThat(repository).isEqualTo("ghcr.io/omni-suite/" + service);
            assertThat(image).doesNotEndWith(":latest").matches(".+(:[\\w.-]+|@sha256:[0-9a-f]{64})");
            repositories.add(repository);
        }
        assertThat(entries.keySet()).containsExactlyInAnyOrderElementsOf(repositories);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void the_public_hosts_agree_everywhere(String overlay) {
        Manifests m = Manifests.of(overlay);
        String api = m.get("Ingress", "omni-api").path("spec").path("rules").path(0).path("host").asText();
        String auth = m.get("Ingress", "omni-auth").path("spec").path("rules").path(0).path("host").asText();
        assertThat(api).isNotBlank().isNotEqualTo(auth);
        URI keycloak = URI.create(m.get("Keycloak", "omni-keycloak").path("spec").path("hostname").path("hostname").asText());
        assertThat(keycloak.getHost()).isEqualTo(auth);
        Map<String, JsonNode> messaging = ServiceWiringTest.environment(m, "messaging-service");
        URI publicUrl = URI.create(messaging.get("OMNI_MESSAGING_PUBLIC_URL").asText());
        assertThat(publicUrl.getHost()).as("tracking links go through the gateway's host").isEqualTo(api);
        assertThat(messaging.get("OMNI_MESSAGING_TRACKING_LINKS_PATH").asText())
                .as("the gateway's public route to messaging's /t").isEqualTo("/api/tracking");
        assertThat(messaging.get("OMNI_MESSAGING_TRACKING_RECEIPTS_PATH").asText())
                .as("the gateway's public route to messaging's /api/receipts").isEqualTo("/api/webhooks");
        assertThat(publicUrl.getScheme()).isEqualTo(keycloak.getScheme());
        for (String name : new String[] {"omni-api", "omni-auth"}) {
            JsonNode ingress = m.get("Ingress", name).path("spec");
            String host = ingress.path("rules").path(0).path("host").asText();
            if (overlay.equals("prod")) {
                assertThat(keycloak.getScheme()).isEqualTo("https");
                assertThat(ingress.path("tls").path(0).path("hosts")).singleElement()
                        .satisfies(h -> assertThat(h.asText()).isEqualTo(host));
            }
            ingress.path("rules").path(0).path("http").path("paths").forEach(p -> {
                JsonNode backend = p.path("backend").path("service");
                String service = backend.path("name").asText();
                JsonNode port = backend.path("port");
                if (name.equals("omni-api")) {
                    JsonNode ports = m.get("Service", service).path("spec").path("ports");
                    assertThat(ports).anySatisfy(sp -> assertThat(port.has("name") ? sp.path("name").asText()
                            : sp.path("port").asText()).isEqualTo(port.has("name") ? port.path("name").asText()
                            : port.path("number").asText()));
                    assertThat(service).isEqualTo("gateway");
                } else {
                    ObjectNode kc = m.get("Keycloak", "omni-keycloak");
                    assertThat(service).isEqualTo(Manifests.name(kc) + "-service");
                    assertThat(port.path("number").asInt()).isEqualTo(kc.path("spec").path("http").path("httpPort").asInt());
                    assertThat(p.path("path").asText()).isIn("/realms/", "/resources/");
                }
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void every_secret_referenced_is_made_by_secrets_sh_or_by_an_operator(String overlay) {
        Manifests m = Manifests.of(overlay);
        String namespace = Manifests.name(m.ofKind("Namespace").findFirst().orElseThrow());
        Map<String, Set<String>> available = new LinkedHashMap<>(SecretsScript.keys(namespace));
        // Strimzi's User Operator: one Secret per KafkaUser; the Cluster Operator: the cluster CA certificate
        m.ofKind("KafkaUser").forEach(u -> available.put(Manifests.name(u), Set.of("password", "sasl.jaas.config")));
        m.ofKind("Kafka").forEach(k -> available.put(Manifests.name(k) + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password")));
        List<String[]> references = new ArrayList<>(); // {who, secret, key or null}
        m.ofKind("Deployment").forEach(d -> {
            JsonNode pod = d.path("spec").path("template").path("spec");
            pod.path("containers").forEach(c -> c.path("env").forEach(e -> {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                if (!ref.isMissingNode()) {
                    references.add(new String[] {Manifests.id(d), ref.path("name").asText(), ref.path("key").asText()});
                }
            }));
            pod.path("volumes").forEach(v -> {
                if (v.has("secret")) {
                    v.path("secret").path("items").forEach(i -> references.add(
                            new String[] {Manifests.id(d), v.path("secret").path("secretName").asText(), i.path("key").asText()}));
                }
            });
        });
        m.ofKind("Cluster").forEach(c -> {
            c.path("spec").path("managed").path("roles").forEach(r -> references.add(
                    new String[] {Manifests.id(c), r.path("passwordSecret").path("name").asText(), "password"}));
            JsonNode initdb = c.path("spec").path("bootstrap").path("initdb");
            if (initdb.has("secret")) {
                references.add(new String[] {Manifests.id(c), initdb.path("secret").path("name").asText(), "password"});
            }
        });
        m.ofKind("Keycloak").forEach(k -> {
            JsonNode db = k.path("spec").path("db");
            for (String s : new String[] {"usernameSecret", "passwordSecret"}) {
                references.add(new String[] {Manifests.id(k), db.path(s).path("name").asText(), db.path(s).path("key").asText()});
            }
        });
        m.ofKind("KeycloakRealmImport").forEach(r -> r.path("spec").path("placeholders").forEach(p -> references.add(
                new String[] {Manifests.id(r), p.path("secret").path("name").asText(), p.path("secret").path("key").asText()})));
        assertThat(references).hasSizeGreaterThan(20).allSatisfy(ref -> {
            assertThat(available).as(ref[0] + " needs Secret " + ref[1]).containsKey(ref[1]);
            assertThat(available.get(ref[1])).as(ref[0] + " needs key " + ref[2] + " of Secret " + ref[1]).contains(ref[2]);
        });
        // and no Secret with data is rendered into the manifests
        assertThat(m.ofKind("Secret")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void the_realm_has_the_clients_scopes_and_roles_of_the_local_realm_without_its_secrets_or_people(String overlay)
            throws Exception {
        JsonNode local = Manifests.YAML.readTree(Repo.ROOT.resolve("launcher/keycloak/omni-realm.json").toFile());
        ObjectNode imported = Manifests.of(overlay).get("KeycloakRealmImport", "omni-realm");
        JsonNode realm = imported.path("spec").path("realm");
        assertThat(realm.path("realm").asText()).isEqualTo(local.path("realm").asText());
        assertThat(names(realm.path("clients"), "clientId")).isEqualTo(names(local.path("clients"), "clientId"));
        assertThat(names(realm.path("clientScopes"), "name")).isEqualTo(names(local.path("clientScopes"), "name"));
        assertThat(realm.path("clientScopes")).isEqualTo(local.path("clientScopes"));
        assertThat(realm.path("roles")).isEqualTo(local.path("roles"));
        assertThat(realm.path("defaultDefaultClientScopes")).isEqualTo(local.path("defaultDefaultClientScopes"));
        for (JsonNode client : realm.path("clients")) {
            JsonNode same = find(local.path("clients"), "clientId", client.path("clientId").asText());
            assertThat(client.path("defaultClientScopes")).isEqualTo(same.path("defaultClientScopes"));
            assertThat(client.path("serviceAccountsEnabled")).isEqualTo(same.path("serviceAccountsEnabled"));
            if (client.has("secret")) {
                String placeholder = client.path("secret").asText();
                assertThat(placeholder).as("no secret in git").matches("\\$\\{[A-Z_]+}");
                assertThat(imported.path("spec").path("placeholders").has(placeholder.substring(2, placeholder.length() - 1)))
                        .as(placeholder + " is filled from a Secret").isTrue();
            }
        }
        for (JsonNode user : realm.path("users")) {
            assertThat(user.has("serviceAccountClientId")).as("only service accounts are imported").isTrue();
            assertThat(user.has("credentials")).isFalse();
        }
        if (overlay.equals("prod")) {
            JsonNode app = find(realm.path("clients"), "clientId", "storefront-app");
            assertThat(app.path("directAccessGrantsEnabled").asBoolean(true)).as("no password grant in prod").isFalse();
            assertThat(app.path("redirectUris")).allSatisfy(u -> assertThat(u.asText()).startsWith("https://")
                    .doesNotContain("localhost").doesNotContain("127.0.0.1"));
        }
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (n.path(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError("no " + field + "=" + value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void postgresql_accepts_every_connection_the_services_and_keycloak_can_open_at_their_maximum_scale(String overlay) {
        Manifests m = Manifests.of(overlay);
        int needed = 0;
        for (String service : Repo.services()) {
            ServiceCode code = ServiceCode.of(service);
            if (code.property("omni.db.name") == null) {
                continue;
            }
            int pool = Integer.parseInt(code.property("quarkus.datasource.reactive.max-size"));
            // the outbox relay's own connections (platform datasource "outbox")
            int relay = Integer.parseInt(code.property("quarkus.datasource.outbox.reactive.max-size"));
            int jdbc = 2; // Flyway's JDBC datasource at start
            needed += hpa(m, service, "maxReplicas") * (pool + relay + jdbc);
        }
        JsonNode keycloak = m.get("Keycloak", "omni-keycloak").path("spec");
        needed += keycloak.path("instances").asInt() * keycloak.path("db").path("poolMaxSize").asInt();
        int reserved = 10; // superuser_reserved_connections, replication and the operator's own connections
        int max = Integer.parseInt(m.get("Cluster", "omni-pg").path("spec").path("postgresql").path("parameters")
                .path("max_connections").asText());
        assertThat(needed + reserved).as("connections at maximum scale vs max_connections").isLessThanOrEqualTo(max);
    }
}
