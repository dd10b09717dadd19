package dev.omni.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The runbook (k8s/README.md) and the Dockerfile say what the files do. */
class RunbookTest {
    private static final String README = Repo.read(Repo.K8S.resolve("README.md"));
    private static final String DOCKERFILE = Repo.read(Repo.K8S.resolve("images/Dockerfile.jvm"));

    /** The runbook's code: fenced blocks and inline `code`, one piece per line. */
    private static String code() {
        StringBuilder out = new StringBuilder();
        Matcher fenced = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL).matcher(README);
        while (fenced.find()) {
            out.append(fenced.group(1)).append('\n');
        }
        Matcher inline = Pattern.compile("(?<!`)`([^`\\n]+)`(?!`)").matcher(README.replaceAll("(?s)```.*?```", ""));
        while (inline.find()) {
            out.append(inline.group(1)).append('\n');
        }
        return out.toString();
    }

    private static String namespace(String overlay) {
        return Manifests.name(Manifests.of(overlay).ofKind("Namespace").findFirst().orElseThrow());
    }

    @Test
    void every_file_the_runbook_names_exists() {
        Matcher m = Pattern.compile("(?<![\\w/])(?:k8s/)?(?:base|overlays|images|src)/[A-Za-z0-9._/-]*[A-Za-z0-9_-]").matcher(README);
        List<String> paths = new ArrayList<>();
        while (m.find()) {
            paths.add(m.group());
        }
        assertThat(paths).hasSizeGreaterThan(10).allSatisfy(p -> assertThat(
                Files.exists(Repo.K8S.resolve(p.startsWith("k8s/") ? p.substring(4) : p))).as(p).isTrue());
        for (String p : new String[] {"k8s/secrets.sh", "k8s/images/Dockerfile.jvm", "launcher/keycloak/omni-realm.json",
                "contracts/src/main/resources/asyncapi.yaml"}) {
            assertThat(README).contains(p);
            assertThat(Files.exists(Repo.ROOT.resolve(p))).as(p).isTrue();
        }
        assertThat(Files.isExecutable(Repo.K8S.resolve("secrets.sh"))).isTrue();
    }

    @Test
    void the_image_builds_cover_every_service_with_its_port_and_the_overlays_image_names() throws Exception {
        Matcher m = Pattern.compile("docker build -f k8s/images/Dockerfile\\.jvm --build-arg SERVICE=(\\S+) "
                + "--build-arg PORT=(\\d+) -t (\\S+):(\\S+) \\.").matcher(README);
        Map<String, String[]> builds = new TreeMap<>();
        while (m.find()) {
            builds.put(m.group(1), new String[] {m.group(2), m.group(3), m.group(4)});
        }
        assertThat(builds.keySet()).containsExactlyInAnyOrderElementsOf(Repo.services());
        for (String overlay : Repo.OVERLAYS) {
            JsonNode images = Manifests.YAML.readTree(Repo.overlay(overlay).resolve("kustomization.yaml").toFile()).path("images");
            builds.forEach((service, b) -> {
                assertThat(Integer.parseInt(b[0])).as(service + " port").isEqualTo(ServiceCode.of(service).httpPort());
                assertThat(images).as(overlay + " images").anySatisfy(i -> {
                    assertThat(i.path("name").asText()).isEqualTo(b[1]);
                    assertThat(i.path("newTag").asText()).isEqualTo(b[2]);
                });
                assertThat(b[1]).endsWith("/" + service);
            });
        }
        // the Dockerfile takes what the commands pass, and copies the fast-jar of that service
        assertThat(DOCKERFILE).contains("ARG SERVICE", "ARG PORT", "EXPOSE ${PORT}", "USER 185",
                "${SERVICE}/target/quarkus-app/lib/", "/deployments/quarkus-run.jar");
        assertThat(Repo.read(Repo.K8S.resolve("images/Dockerfile.jvm.dockerignore"))).contains("!*/target/quarkus-app/");
        // the pods run as the image's user, so the read-only root filesystem and /tmp mount fit the image
        Repo.services().forEach(s -> assertThat(Manifests.of("prod").get("Deployment", s).path("spec").path("template")
                .path("spec").path("securityContext").path("runAsUser").asInt()).isEqualTo(185));
    }

    @Test
    void the_runbooks_commands_name_the_namespaces_and_objects_the_overlays_make() {
        Set<String> namespaces = Set.of(namespace("dev"), namespace("prod"));
        String code = code();
        Matcher ns = Pattern.compile("(?:k8s/secrets\\.sh |-n )([a-z0-9-]+)").matcher(code);
        int found = 0;
        while (ns.find()) {
            found++;
            assertThat(namespaces).as("namespace in: " + ns.group()).contains(ns.group(1));
        }
        assertThat(found).isGreaterThan(20);
        Matcher applies = Pattern.compile("kubectl (?:apply|diff) -k k8s/overlays/(\\w+)").matcher(code);
        Set<String> applied = new HashSet<>();
        while (applies.find()) {
            applied.add(applies.group(1));
        }
        assertThat(applied).containsExactlyInAnyOrderElementsOf(Repo.OVERLAYS);

        Manifests dev = Manifests.of("dev");
        Manifests prod = Manifests.of("prod");
        Set<String> secrets = new HashSet<>(SecretsScript.keys(namespace("prod")).keySet());
        prod.ofKind("KafkaUser").forEach(u -> secrets.add(Manifests.name(u)));
        secrets.add("omni-kafka-cluster-ca-cert");
        secrets.add(Manifests.name(prod.ofKind("Keycloak").findFirst().orElseThrow()) + "-initial-admin");
        Matcher refs = Pattern.compile("(?<![\\w/.-])(deployment|statefulset|svc|kafka|keycloak|kafkauser|cluster\\.postgresql\\.cnpg\\.io|secret)[/ ]"
                + "([a-z][a-z0-9-]+)").matcher(code);
        int checked = 0;
        while (refs.find()) {
            String kind = refs.group(1);
            String name = refs.group(2);
            if (name.equals("omni") || name.equals("o") || name.equals("generic")) {
                continue; // "secret omni-…" handled below; "-o yaml"; "create secret generic"
            }
            checked++;
            boolean exists = switch (kind) {
                case "deployment" -> prod.find("Deployment", name).isPresent() || dev.find("Deployment", name).isPresent();
                case "statefulset" -> prod.find("Keycloak", name).isPresent(); // the Keycloak operator's StatefulSet
                case "svc" -> prod.find("Service", name).isPresent() || dev.find("Service", name).isPresent()
                        || prod.find("Keycloak", name.replaceFirst("-service$", "")).isPresent();
                case "kafka" -> prod.find("Kafka", name).isPresent();
                case "keycloak" -> prod.find("Keycloak", name).isPresent();
                case "kafkauser" -> prod.find("KafkaUser", name).isPresent();
                case "cluster.postgresql.cnpg.io" -> prod.find("Cluster", name).isPresent();
                case "secret" -> secrets.contains(name);
                default -> false;
            };
            assertThat(exists).as(kind + "/" + name + " in the runbook").isTrue();
        }
        assertThat(checked).isGreaterThan(15);
    }
}
