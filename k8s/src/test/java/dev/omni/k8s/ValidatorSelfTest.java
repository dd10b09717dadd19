package dev.omni.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validator is not a rubber stamp: each test breaks one rendered object the way a typo would and expects the
 * validator to name the problem.
 */
class ValidatorSelfTest {
    private static final Validator VALIDATOR = new Validator();

    private static ObjectNode broken(String kind, String name, Consumer<ObjectNode> breakIt) {
        VALIDATOR.problems(Manifests.of("dev").objects); // validates every object in one run (remembered)
        ObjectNode copy = Manifests.copy(Manifests.of("dev").get(kind, name));
        assertThat(VALIDATOR.problems(copy)).as("valid before breaking").isEmpty();
        breakIt.accept(copy);
        return copy;
    }

    @Test
    void an_unknown_field_deep_in_a_deployment_is_reported_with_its_path() {
        ObjectNode d = broken("Deployment", "gateway", o -> ((ObjectNode) Manifests.container(o)).put("resourcez", "x"));
        // fabric8's model and kubernetes-models' type declaration both name it
        assertThat(VALIDATOR.problems(d)).hasSize(2)
                .allSatisfy(p -> assertThat(p).contains("resourcez").contains(".spec.template.spec.containers[0]"));
    }

    @Test
    void a_wrong_type_in_a_core_kind_is_reported() {
        ObjectNode d = broken("Deployment", "gateway", o -> ((ObjectNode) Manifests.container(o).path("ports").path(0))
                .put("containerPort", "http"));
        assertThat(VALIDATOR.problems(d)).isNotEmpty();
    }

    @Test
    void strimzi_kinds_reject_unknown_fields_and_unknown_enum_values() {
        ObjectNode topic = broken("KafkaTopic", "omni.profiles", o -> ((ObjectNode) o.path("spec")).put("partition", 3));
        assertThat(VALIDATOR.problems(topic)).singleElement().asString().contains("partition");
        ObjectNode user = broken("KafkaUser", "gateway", o -> ((ArrayNode) o.path("spec").path("authorization")
                .path("acls").path(0).path("operations")).add("Wrte"));
        assertThat(VALIDATOR.problems(user)).isNotEmpty();
        ObjectNode pool = broken("KafkaNodePool", "omni-kafka-pool",
                o -> ((ArrayNode) o.path("spec").path("roles")).add("zookeeper"));
        assertThat(VALIDATOR.problems(pool)).isNotEmpty();
    }

    @Test
    void kubernetes_models_catch_what_fabric8_lets_through() {
        // fabric8 keeps enums as strings and knows no required fields; kubernetes-models' schemas do
        ObjectNode pullPolicy = broken("Deployment", "gateway",
                o -> ((ObjectNode) Manifests.container(o)).put("imagePullPolicy", "Sometimes"));
        ObjectNode noPort = broken("Service", "gateway",
                o -> ((ObjectNode) o.path("spec").path("ports").path(0)).remove("port"));
        List<List<String>> problems = VALIDATOR.problems(List.of(pullPolicy, noPort));
        assertThat(problems.get(0)).isNotEmpty()
                .allSatisfy(p -> assertThat(p).contains(".spec.template.spec.containers[0].imagePullPolicy"))
                .anySatisfy(p -> assertThat(p).contains("Always", "IfNotPresent", "Never"));
        assertThat(problems.get(1)).isNotEmpty().allSatisfy(p -> assertThat(p).contains(".spec.ports[0]"))
                .anySatisfy(p -> assertThat(p).contains("required property port"));
    }

    @Test
    void cloudnativepg_kinds_reject_wrong_types_values_missing_and_unknown_fields() {
        ObjectNode instances = broken("Cluster", "omni-pg", o -> ((ObjectNode) o.path("spec")).put("instances", "three"));
        ObjectNode unknown = broken("Cluster", "omni-pg",
                o -> ((ObjectNode) o.path("spec").path("managed").path("roles").path(0)).put("passwordSecrets", "x"));
        ObjectNode label = broken("Cluster", "omni-pg", o -> ((ObjectNode) o.path("metadata")).put("label", "x"));
        ObjectNode ensure = broken("Database", "omni-pg-profile", o -> ((ObjectNode) o.path("spec")).put("ensure", "yes"));
        ObjectNode noOwner = broken("Database", "omni-pg-profile", o -> ((ObjectNode) o.path("spec")).remove("owner"));
        List<List<String>> problems = VALIDATOR.problems(List.of(instances, unknown, label, ensure, noOwner));
        assertThat(problems.get(0)).isNotEmpty().allSatisfy(p -> assertThat(p).contains("Cluster/omni-pg: .spec.instances"))
                .anySatisfy(p -> assertThat(p).contains("must be integer"));
        assertThat(problems.get(1)).singleElement().asString()
                .contains(".spec.managed.roles[0].passwordSecrets").contains("known properties");
        assertThat(problems.get(2)).singleElement().asString().contains(".metadata.label");
        assertThat(problems.get(3)).isNotEmpty().allSatisfy(p -> assertThat(p).contains(".spec.ensure"))
                .anySatisfy(p -> assertThat(p).contains("present", "absent"));
        assertThat(problems.get(4)).isNotEmpty().anySatisfy(p -> assertThat(p).contains("required property owner"));
    }

    @Test
    void keycloak_kinds_reject_unknown_fields_and_a_malformed_realm() {
        ObjectNode kc = broken("Keycloak", "omni-keycloak",
                o -> ((ObjectNode) o.path("spec").path("hostname")).put("hostName", "x"));
        assertThat(VALIDATOR.problems(kc)).singleElement().asString().contains("hostName");
        ObjectNode realm = broken("KeycloakRealmImport", "omni-realm",
                o -> ((ObjectNode) o.path("spec").path("realm")).put("acessTokenLifespan", 60));
        assertThat(VALIDATOR.problems(realm)).singleElement().asString().contains("acessTokenLifespan");
        ObjectNode uris = broken("KeycloakRealmImport", "omni-realm", o -> ((ObjectNode) o.path("spec").path("realm")
                .path("clients").path(0)).put("redirectUris", "https://shop/*"));
        assertThat(VALIDATOR.problems(uris)).isNotEmpty();
    }

    @Test
    void metadata_of_custom_resources_is_checked_too() {
        ObjectNode kc = broken("Keycloak", "omni-keycloak",
                o -> ((ObjectNode) o.path("metadata")).put("label", "x"));
        assertThat(VALIDATOR.problems(kc)).singleElement().asString().contains("label");
    }

    @Test
    void a_kind_nothing_can_validate_is_a_problem() {
        ObjectNode unknown = broken("ConfigMap", Manifests.name(Manifests.of("dev").generatedConfigMap("gateway-config")),
                o -> o.put("apiVersion", "example.com/v1").put("kind", "Widget"));
        assertThat(VALIDATOR.problems(unknown)).singleElement().asString().contains("neither a model nor a schema");
    }
}
