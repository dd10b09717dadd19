package dev.omni.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every object that `kubectl kustomize` renders for an overlay passes the Kubernetes and operator schemas. */
class SchemaValidationTest {
    private static final Validator VALIDATOR = new Validator();

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void every_rendered_object_is_valid(String overlay) {
        List<ObjectNode> objects = Manifests.of(overlay).objects;
        assertThat(objects).hasSizeGreaterThan(50);
        assertThat(VALIDATOR.problems(objects).stream().flatMap(List::stream)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void every_object_is_namespaced_into_the_overlays_namespace(String overlay) {
        Manifests m = Manifests.of(overlay);
        String namespace = Manifests.name(m.ofKind("Namespace").findFirst().orElseThrow());
        assertThat(m.objects).filteredOn(o -> !o.path("kind").asText().equals("Namespace"))
                .allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asText())
                        .as(Manifests.id(o)).isEqualTo(namespace));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void the_secrets_script_makes_valid_secrets(String overlay) {
        String namespace = Manifests.name(Manifests.of(overlay).ofKind("Namespace").findFirst().orElseThrow());
        List<ObjectNode> secrets = SecretsScript.dryRun(namespace);
        assertThat(secrets).isNotEmpty().allSatisfy(s -> {
            assertThat(s.path("kind").asText()).isEqualTo("Secret");
            assertThat(s.path("metadata").path("namespace").asText()).isEqualTo(namespace);
        });
        assertThat(VALIDATOR.problems(secrets).stream().flatMap(List::stream)).isEmpty();
    }
}
