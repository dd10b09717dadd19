package dev.omni.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The objects of one overlay as `kubectl kustomize` renders them (rendered once per overlay and test run). */
final class Manifests {
    static final ObjectMapper YAML = new YAMLMapper();
    private static final Map<String, Manifests> CACHE = new ConcurrentHashMap<>();

    final String overlay;
    final String yaml;
    final List<ObjectNode> objects;

    private Manifests(String overlay, String yaml) {
        this.overlay = overlay;
        this.yaml = yaml;
        this.objects = parse(yaml);
    }

    static Manifests of(String overlay) {
        return CACHE.computeIfAbsent(overlay, o -> new Manifests(o, kustomize(Repo.overlay(o))));
    }

    /** Runs `kubectl kustomize DIR` (offline: kustomize is built into kubectl) and returns its output. */
    static String kustomize(Path dir) {
        return Kubectl.run(List.of("kustomize", dir.toString()), null);
    }

    static List<ObjectNode> parse(String yaml) {
        List<ObjectNode> out = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && node.isObject()) {
                    out.add((ObjectNode) node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    Stream<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()));
    }

    Optional<ObjectNode> find(String kind, String name) {
        return ofKind(kind).filter(o -> name.equals(name(o))).findFirst();
    }

    ObjectNode get(String kind, String name) {
        return find(kind, name).orElseThrow(
                () -> new NoSuchElementException(overlay + ": no " + kind + " named " + name));
    }

    /** The ConfigMap a configMapGenerator made from {@code name} (its rendered name carries a hash suffix). */
    ObjectNode generatedConfigMap(String name) {
        return ofKind("ConfigMap").filter(o -> name(o).matches(java.util.regex.Pattern.quote(name) + "-[a-z0-9]{10}"))
                .findFirst().orElseThrow(() -> new NoSuchElementException(overlay + ": no ConfigMap generated from " + name));
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static String id(JsonNode object) {
        return object.path("kind").asText() + "/" + name(object);
    }

    /** The single container of a Deployment's pod template. */
    static JsonNode container(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec").path("containers").path(0);
    }

    /** Utility for the tests that mutate a copy of a rendered object. */
    static ObjectNode copy(ObjectNode node) {
        return node.deepCopy();
    }

    static final class Kubectl {
        private Kubectl() {
        }

        static String run(List<String> args, String stdin) {
            List<String> command = new ArrayList<>();
            command.add(System.getProperty("kubectl", "kubectl"));
            command.addAll(args);
            return Commands.run(command, stdin, "kubectl 1.27+ renders the overlays offline; pass -Dkubectl=/path/to/kubectl");
        }
    }
}
