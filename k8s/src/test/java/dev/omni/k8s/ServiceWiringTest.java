package dev.omni.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Each service's Kubernetes objects agree with its code: port, health endpoints, configuration, database, Kafka. */
class ServiceWiringTest {

    static Stream<Arguments> overlaysAndServices() {
        return Repo.OVERLAYS.stream().flatMap(o -> Repo.services().stream().map(s -> Arguments.of(o, s)));
    }

    /** The environment of a service's container: its env entries and the ConfigMaps it reads with envFrom. */
    static Map<String, JsonNode> environment(Manifests m, String service) {
        JsonNode container = Manifests.container(m.get("Deployment", service));
        Map<String, JsonNode> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String name = from.path("configMapRef").path("name").asText();
            m.get("ConfigMap", name).path("data").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue()));
        }
        for (JsonNode e : container.path("env")) {
            env.put(e.path("name").asText(), e.has("value") ? e.path("value") : e.path("valueFrom"));
        }
        return env;
    }

    static String value(Map<String, JsonNode> env, String name) {
        assertThat(env).as("environment variable " + name).containsKey(name);
        return env.get(name).asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void there_is_one_deployment_per_service_of_the_root_pom(String overlay) {
        assertThat(Repo.services()).containsExactlyInAnyOrder(
                "attribution-service", "console", "gateway", "inventory-service", "messaging-service", "profile-service");
        assertThat(Manifests.of(overlay).ofKind("Deployment")
                .filter(d -> d.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText().equals("omni"))
                .map(Manifests::name))
                .containsExactlyInAnyOrderElementsOf(Repo.services());
    }

    @ParameterizedTest
    @MethodSource("overlaysAndServices")
    void container_and_service_ports_are_the_services_quarkus_http_port(String overlay, String service) {
        Manifests m = Manifests.of(overlay);
        int port = ServiceCode.of(service).httpPort();
        JsonNode container = Manifests.container(m.get("Deployment", service));
        assertThat(container.path("ports")).singleElement().satisfies(p -> {
            assertThat(p.path("containerPort").asInt()).isEqualTo(port);
            assertThat(p.path("name").asText()).isEqualTo("http");
        });
        JsonNode svc = m.get("Service", service);
        assertThat(svc.path("spec").path("ports")).singleElement().satisfies(p -> {
            assertThat(p.path("port").asInt()).isEqualTo(port);
            assertThat(p.path("targetPort").asText()).isIn("http", String.valueOf(port));
        });
        assertThat(svc.path("spec").path("selector")).isEqualTo(
                m.get("Deployment", service).path("spec").path("selector").path("matchLabels"));
        JsonNode annotations = m.get("Deployment", service).path("spec").path("template").path("metadata").path("annotations");
        assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(String.valueOf(port));
    }

    @ParameterizedTest
    @MethodSource("overlaysAndServices")
    void probes_and_metrics_are_the_quarkus_endpoints_the_service_has(String overlay, String service) {
        ServiceCode code = ServiceCode.of(service);
        assertThat(code.dependsOn("quarkus-smallrye-health")).as(service + " has SmallRye Health").isTrue();
        assertThat(code.dependsOn("quarkus-micrometer-registry-prometheus")).as(service + " exposes Prometheus metrics").isTrue();
        assertThat(code.property("quarkus.http.root-path")).as("root path moved").isNull();
        assertThat(code.property("quarkus.http.non-application-root-path")).as("/q moved").isNull();
        assertThat(code.property("quarkus.smallrye-health.root-path")).isNull();
        JsonNode container = Manifests.container(Manifests.of(overlay).get("Deployment", service));
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/started");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
        for (String probe : new String[] {"startupProbe", "livenessProbe", "readinessProbe"}) {
            assertThat(container.path(probe).path("httpGet").path("port").asText()).isEqualTo("http");
        }
        assertThat(Manifests.of(overlay).get("Deployment", service).path("spec").path("template").path("metadata")
                .path("annotations").path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
    }

    @ParameterizedTest
    @MethodSource("overlaysAndServices")
    void every_environment_variable_sets_a_config_key_the_service_reads(String overlay, String service) {
        ServiceCode code = ServiceCode.of(service);
        Map<String, JsonNode> env = environment(Manifests.of(overlay), service);
        assertThat(env).isNotEmpty();
        assertThat(env.keySet()).allSatisfy(name -> assertThat(code.readsEnv(name) || KafkaClientConfig.isClientProperty(name))
                .as("%s: %s sets no key of %s's application.properties%s, nor a Kafka client property", overlay, name,
                        service, code.usesPlatform ? " or the platform's defaults" : "")
                .isTrue());
    }

    @ParameterizedTest
    @MethodSource("overlaysAndServices")
    void a_service_with_a_database_gets_its_own_database_role_and_the_clusters_rw_service(String overlay, String service) {
        Manifests m = Manifests.of(overlay);
        ServiceCode code = ServiceCode.of(service);
        Map<String, JsonNode> env = environment(m, service);
        String dbName = code.property("omni.db.name");
        if (dbName == null) {
            assertThat(env.keySet()).noneMatch(k -> k.startsWith("OMNI_DB_"));
            assertThat(m.ofKind("Database")).noneMatch(d -> d.path("spec").path("name").asText().equals(service));
            return;
        }
        JsonNode database = m.ofKind("Database").filter(d -> d.path("spec").path("name").asText().equals(dbName))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + ": no Database named " + dbName));
        String clusterName = database.path("spec").path("cluster").path("name").asText();
        ObjectNode cluster = m.get("Cluster", clusterName);
        String owner = database.path("spec").path("owner").asText();
        JsonNode role = Stream.of(cluster.path("spec").path("managed").path("roles"))
                .flatMap(r -> java.util.stream.StreamSupport.stream(r.spliterator(), false))
                .filter(r -> r.path("name").asText().equals(owner)).findFirst()
                .orElseThrow(() -> new AssertionError("no managed role " + owner + " in " + clusterName));
        assertThat(role.path("login").asBoolean()).isTrue();
        assertThat(role.path("ensure").asText("present")).isEqualTo("present");
        String secret = role.path("passwordSecret").path("name").asText();
        assertThat(value(env, "OMNI_DB_HOST")).isEqualTo(clusterName + "-rw");
        assertThat(value(env, "OMNI_DB_PORT")).isEqualTo("5432");
        assertThat(env.get("OMNI_DB_USER").path("secretKeyRef").path("name").asText()).isEqualTo(secret);
        assertThat(env.get("OMNI_DB_USER").path("secretKeyRef").path("key").asText()).isEqualTo("username");
        assertThat(env.get("OMNI_DB_PASSWORD").path("secretKeyRef").path("name").asText()).isEqualTo(secret);
        assertThat(env.get("OMNI_DB_PASSWORD").path("secretKeyRef").path("key").asText()).isEqualTo("password");
        // CloudNativePG needs the Secret's username to be the role's name: k8s/secrets.sh writes it so
        String namespace = database.path("metadata").path("namespace").asText();
        ObjectNode made = SecretsScript.dryRun(namespace).stream().filter(s -> Manifests.name(s).equals(secret))
                .findFirst().orElseThrow(() -> new AssertionError("k8s/secrets.sh does not make " + secret));
        assertThat(new String(java.util.Base64.getDecoder().decode(made.path("data").path("username").asText())))
                .isEqualTo(owner);
    }

    static Stream<Arguments> overlaysAndKafkaClients() {
        return Repo.OVERLAYS.stream().flatMap(o -> Repo.kafkaClients().stream().map(s -> Arguments.of(o, s)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void a_service_without_kafka_gets_no_kafka_settings(String overlay) {
        Manifests m = Manifests.of(overlay);
        List<String> without = Repo.services().stream().filter(s -> !Repo.kafkaClients().contains(s)).toList();
        assertThat(without).containsExactly("console");
        for (String service : without) {
            assertThat(environment(m, service).keySet()).noneMatch(k -> k.startsWith("KAFKA_"));
        }
    }

    @ParameterizedTest
    @MethodSource("overlaysAndKafkaClients")
    void kafka_clients_use_the_tls_listener_with_their_own_kafka_user(String overlay, String service) {
        Manifests m = Manifests.of(overlay);
        Map<String, JsonNode> env = environment(m, service);
        ObjectNode kafka = m.ofKind("Kafka").findFirst().orElseThrow();
        JsonNode listener = kafka.path("spec").path("kafka").path("listeners").path(0);
        assertThat(kafka.path("spec").path("kafka").path("listeners")).hasSize(1);
        assertThat(listener.path("tls").asBoolean()).isTrue();
        assertThat(listener.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        assertThat(value(env, "KAFKA_BOOTSTRAP_SERVERS"))
                .isEqualTo(Manifests.name(kafka) + "-kafka-bootstrap:" + listener.path("port").asInt());
        assertThat(value(env, "KAFKA_SECURITY_PROTOCOL")).isEqualTo("SASL_SSL");
        assertThat(value(env, "KAFKA_SASL_MECHANISM")).isEqualTo("SCRAM-SHA-512");
        assertThat(value(env, "KAFKA_SSL_TRUSTSTORE_TYPE")).isEqualTo("PEM");
        // the SASL login is the Secret the User Operator writes for the service's KafkaUser
        ObjectNode user = m.get("KafkaUser", service);
        assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        assertThat(env.get("KAFKA_SASL_JAAS_CONFIG").path("secretKeyRef").path("name").asText()).isEqualTo(service);
        assertThat(env.get("KAFKA_SASL_JAAS_CONFIG").path("secretKeyRef").path("key").asText()).isEqualTo("sasl.jaas.config");
        // the truststore file is the cluster CA Strimzi writes, mounted where KAFKA_SSL_TRUSTSTORE_LOCATION points
        JsonNode deployment = m.get("Deployment", service);
        String location = value(env, "KAFKA_SSL_TRUSTSTORE_LOCATION");
        JsonNode mount = Stream.of(Manifests.container(deployment).path("volumeMounts"))
                .flatMap(v -> java.util.stream.StreamSupport.stream(v.spliterator(), false))
                .filter(v -> location.startsWith(v.path("mountPath").asText() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + location));
        JsonNode volume = Stream.of(deployment.path("spec").path("template").path("spec").path("volumes"))
                .flatMap(v -> java.util.stream.StreamSupport.stream(v.spliterator(), false))
                .filter(v -> v.path("name").asText().equals(mount.path("name").asText())).findFirst().orElseThrow();
        assertThat(volume.path("secret").path("secretName").asText()).isEqualTo(Manifests.name(kafka) + "-cluster-ca-cert");
        String file = location.substring(mount.path("mountPath").asText().length() + 1);
        assertThat(volume.path("secret").path("items")).anySatisfy(i -> {
            assertThat(i.path("key").asText()).isEqualTo("ca.crt");
            assertThat(i.path("path").asText()).isEqualTo(file);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void the_gateway_reaches_each_service_through_its_service_and_keycloak_through_the_realm_url(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, JsonNode> env = environment(m, "gateway");
        Map<String, String> upstreams = Map.of("OMNI_PROFILE_URL", "profile-service", "OMNI_INVENTORY_URL",
                "inventory-service", "OMNI_MESSAGING_URL", "messaging-service", "OMNI_ATTRIBUTION_URL", "attribution-service");
        upstreams.forEach((variable, service) -> {
            URI url = URI.create(value(env, variable));
            assertThat(url.getScheme()).isEqualTo("http");
            assertThat(url.getHost()).isEqualTo(service);
            assertThat(m.get("Service", service).path("spec").path("ports").path(0).path("port").asInt())
                    .isEqualTo(url.getPort()).isEqualTo(ServiceCode.of(service).httpPort());
        });
        // OIDC: <keycloak>-service:<httpPort>/realms/<the imported realm>
        ObjectNode keycloak = m.ofKind("Keycloak").findFirst().orElseThrow();
        ObjectNode realm = m.ofKind("KeycloakRealmImport").findFirst().orElseThrow();
        assertThat(realm.path("spec").path("keycloakCRName").asText()).isEqualTo(Manifests.name(keycloak));
        assertThat(keycloak.path("spec").path("http").path("httpEnabled").asBoolean()).isTrue();
        assertThat(value(env, "OMNI_OIDC_URL")).isEqualTo("http://" + Manifests.name(keycloak) + "-service:"
                + keycloak.path("spec").path("http").path("httpPort").asInt(8080) + "/realms/"
                + realm.path("spec").path("realm").path("realm").asText());
        assertThat(keycloak.path("spec").path("hostname").path("backchannelDynamic").asBoolean())
                .as("tokens issued for the public host must verify through the in-cluster URL").isTrue();
        // the gateway validates tokens for this audience: the realm must have that client
        String audience = ServiceCode.of("gateway").property("quarkus.oidc.token.audience");
        assertThat(realm.path("spec").path("realm").path("clients")).anySatisfy(c ->
                assertThat(c.path("clientId").asText()).isEqualTo(audience));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void the_console_reads_through_the_gateway_and_logs_in_with_its_realm_client(String overlay) {
        Manifests m = Manifests.of(overlay);
        Map<String, JsonNode> env = environment(m, "console");
        URI gateway = URI.create(value(env, "OMNI_GATEWAY_URL"));
        assertThat(gateway.getHost()).isEqualTo("gateway");
        assertThat(gateway.getPort()).isEqualTo(ServiceCode.of("gateway").httpPort());
        assertThat(value(env, "OMNI_OIDC_URL")).isEqualTo(value(environment(m, "gateway"), "OMNI_OIDC_URL"));
        String client = ServiceCode.of("console").property("quarkus.oidc.client-id");
        JsonNode realmClient = StreamSupport.stream(m.ofKind("KeycloakRealmImport").findFirst().orElseThrow()
                .path("spec").path("realm").path("clients").spliterator(), false)
                .filter(c -> c.path("clientId").asText().equals(client)).findFirst().orElseThrow();
        assertThat(realmClient.path("standardFlowEnabled").asBoolean()).isTrue();
        String host = m.get("Ingress", "omni-console").path("spec").path("rules").path(0).path("host").asText();
        assertThat(realmClient.path("redirectUris")).singleElement()
                .satisfies(u -> assertThat(URI.create(u.asText().replace("*", "")).getHost()).isEqualTo(host));
        assertThat(env.get("OMNI_CONSOLE_CLIENT_SECRET").path("secretKeyRef").path("key").asText()).isEqualTo(client);
    }

    @ParameterizedTest
    @MethodSource("overlaysAndServices")
    void pods_run_non_root_on_a_read_only_root_filesystem_with_requests_and_limits(String overlay, String service) {
        JsonNode pod = Manifests.of(overlay).get("Deployment", service).path("spec").path("template").path("spec");
        JsonNode container = Manifests.container(Manifests.of(overlay).get("Deployment", service));
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("runAsUser").asInt()).isPositive();
        assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        JsonNode sc = container.path("securityContext");
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(sc.path("capabilities").path("drop").toString()).contains("ALL");
        assertThat(container.path("volumeMounts")).anySatisfy(v -> assertThat(v.path("mountPath").asText()).isEqualTo("/tmp"));
        for (String kind : new String[] {"requests", "limits"}) {
            assertThat(container.path("resources").path(kind).path("memory").isMissingNode()).as(kind).isFalse();
        }
        assertThat(container.path("resources").path("requests").path("cpu").isMissingNode()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("overlaysAndServices")
    void each_service_has_its_service_account_budget_autoscaler_and_network_policy(String overlay, String service) {
        Manifests m = Manifests.of(overlay);
        ObjectNode deployment = m.get("Deployment", service);
        JsonNode selector = deployment.path("spec").path("selector").path("matchLabels");
        assertThat(deployment.path("spec").has("replicas")).as("replicas belong to the HPA").isFalse();
        assertThat(deployment.path("spec").path("template").path("spec").path("serviceAccountName").asText()).isEqualTo(service);
        m.get("ServiceAccount", service);
        assertThat(m.get("PodDisruptionBudget", service).path("spec").path("selector").path("matchLabels")).isEqualTo(selector);
        JsonNode target = m.get("HorizontalPodAutoscaler", service).path("spec").path("scaleTargetRef");
        assertThat(target.path("kind").asText()).isEqualTo("Deployment");
        assertThat(target.path("name").asText()).isEqualTo(service);
        assertThat(m.get("NetworkPolicy", service).path("spec").path("podSelector").path("matchLabels")).isEqualTo(selector);
    }
}
