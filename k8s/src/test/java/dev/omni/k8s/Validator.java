package dev.omni.k8s;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import org.keycloak.representations.idm.RealmRepresentation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates rendered objects without a cluster, with the strongest models available offline:
 * <ul>
 * <li>Kubernetes kinds: fabric8's typed models (io.fabric8:kubernetes-client-api), and the validators of the npm
 * package {@code kubernetes-models} (generated from Kubernetes' OpenAPI spec: required fields, enums, formats).
 * CloudNativePG kinds: the validators of {@code @kubernetes-models/cloudnative-pg} (generated from CloudNativePG's
 * CRDs). Both npm packages are also type-checked against their TypeScript declarations, which reject unknown
 * fields ({@link KubernetesModels}).</li>
 * <li>Strimzi kinds: Strimzi's own models (io.strimzi:api). With fabric8's too, a wrong type fails to deserialize,
 * and a field the model does not know lands in an {@code additionalProperties} map, which is reported wherever it
 * appears. An unknown Strimzi enum value reads as null, which the read-back comparison reports. The Strimzi models
 * of 0.50.0 (1.2.0 is built for Java 21, this build runs on 17) hold v1beta2 and v1 together; what v1 removed is
 * what they mark {@code @Deprecated}, so a deprecated Strimzi field that is set is reported too.</li>
 * <li>Keycloak {@code Keycloak}/{@code KeycloakRealmImport}: no model or CRD schema of the Keycloak operator is
 * published on Maven Central or npm (see k8s/README.md), so they are checked against JSON Schemas in
 * src/test/resources/schemas (the fields of their v2alpha1 API that these manifests use, unknown fields rejected)
 * with networknt json-schema-validator, their metadata with fabric8's ObjectMeta, and the realm of a
 * KeycloakRealmImport with Keycloak's own RealmRepresentation, unknown properties rejected.</li>
 * </ul>
 */
final class Validator {
    private static final Map<String, String> SCHEMAS = Map.of(
            "k8s.keycloak.org/v2alpha1/Keycloak", "schemas/keycloak-v2alpha1.json",
            "k8s.keycloak.org/v2alpha1/KeycloakRealmImport", "schemas/keycloakrealmimport-v2alpha1.json");

    private static final String STRIMZI_V1 = "kafka.strimzi.io/v1";
    private static final String CNPG = "postgresql.cnpg.io/";
    /** Object (as JSON text) -> its problems: each object goes through the npm validators once per test run. */
    private static final Map<String, List<String>> CHECKED = new java.util.concurrent.ConcurrentHashMap<>();

    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final ObjectMapper mapper = new ObjectMapper();
    /** Writes every property a model holds, defaults and nulls included, whatever its @JsonInclude says. */
    private static final ObjectMapper WRITE_ALL = new ObjectMapper().setAnnotationIntrospector(
            new JacksonAnnotationIntrospector() {
                @Override
                public JsonInclude.Value findPropertyInclusion(Annotated a) {
                    return JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS);
                }
            });
    private final ObjectMapper strictRealm = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, JsonSchema> loaded = new java.util.concurrent.ConcurrentHashMap<>();

    Validator() {
        // io.strimzi:api 0.50 models serve both kafka.strimzi.io/v1beta2 and v1 (its annotations name v1beta2)
        for (Class<? extends KubernetesResource> kind : List.of(Kafka.class, KafkaNodePool.class, KafkaTopic.class,
                KafkaUser.class)) {
            serialization.registerKubernetesResource(STRIMZI_V1, kind.getSimpleName(), kind);
        }
    }

    /** The problems of one object; empty when it is valid. */
    List<String> problems(JsonNode object) {
        return problems(List.of(object)).get(0);
    }

    /** The problems of each object, in order; the npm validators run once for all of them. */
    List<List<String>> problems(List<? extends JsonNode> objects) {
        List<JsonNode> toCheck = new ArrayList<>();
        for (JsonNode object : objects) {
            String key = object.toString();
            if (!CHECKED.containsKey(key)) {
                List<String> problems = new ArrayList<>();
                if (local(object, problems)) {
                    toCheck.add(object);
                }
                CHECKED.put(key, problems);
            }
        }
        List<List<String>> modelled = KubernetesModels.problems(toCheck);
        for (int i = 0; i < toCheck.size(); i++) {
            String id = Manifests.id(toCheck.get(i));
            CHECKED.get(toCheck.get(i).toString()).addAll(modelled.get(i).stream().map(p -> id + ": " + p).toList());
        }
        return objects.stream().map(o -> List.copyOf(CHECKED.get(o.toString()))).toList();
    }

    /**
     * Checks an object with what runs in this JVM; true if the npm validators check it too (Kubernetes and
     * CloudNativePG kinds).
     */
    private boolean local(JsonNode object, List<String> problems) {
        String id = Manifests.id(object);
        String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        if (type.startsWith(CNPG)) {
            return true;
        }
        String schema = SCHEMAS.get(type);
        if (schema != null) {
            for (ValidationMessage m : schema(schema).validate(object)) {
                problems.add(id + ": " + m.getMessage());
            }
            try {
                ObjectMeta meta = serialization.convertValue(object.path("metadata"), ObjectMeta.class);
                unknownFields(meta, "metadata", problems, id);
            } catch (RuntimeException e) {
                problems.add(id + ": metadata: " + firstLine(e));
            }
            if (object.path("kind").asText().equals("KeycloakRealmImport")) {
                try {
                    strictRealm.treeToValue(object.path("spec").path("realm"), RealmRepresentation.class);
                } catch (IOException e) {
                    problems.add(id + ": spec.realm is not a Keycloak RealmRepresentation: " + firstLine(e));
                }
            }
            return false;
        }
        Object typed;
        try {
            typed = serialization.unmarshal(mapper.writeValueAsString(object));
        } catch (IOException | RuntimeException e) {
            problems.add(id + ": " + firstLine(e));
            return !object.path("apiVersion").asText().startsWith("kafka.strimzi.io/");
        }
        if (typed instanceof GenericKubernetesResource || !(typed instanceof KubernetesResource)) {
            problems.add(id + ": " + type + " has neither a model nor a schema here: nothing can validate it");
            return false;
        }
        unknownFields(typed, "", problems, id);
        // what the model read must say what the manifest says: a value it could not take (an unknown Strimzi enum
        // value reads as null) shows up as a difference
        ObjectNode read = WRITE_ALL.valueToTree(typed);
        read.put("apiVersion", object.path("apiVersion").asText()); // Strimzi's models name v1beta2, read as v1
        lost(object, read, "", problems, id);
        return typed.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model");
    }

    private static void lost(JsonNode in, JsonNode out, String path, List<String> problems, String id) {
        if (in.isObject()) {
            in.fields().forEachRemaining(f -> {
                JsonNode o = out == null ? null : out.get(f.getKey());
                if (o == null || o.isNull() && !f.getValue().isNull()) {
                    problems.add(id + ": " + path + "." + f.getKey() + " was not understood by the model");
                } else {
                    lost(f.getValue(), o, path + "." + f.getKey(), problems, id);
                }
            });
        } else if (in.isArray()) {
            for (int i = 0; i < in.size(); i++) {
                JsonNode o = out.get(i);
                if (o == null || o.isNull() && !in.get(i).isNull()) {
                    problems.add(id + ": " + path + "[" + i + "] = " + in.get(i) + " was not understood by the model");
                } else {
                    lost(in.get(i), o, path + "[" + i + "]", problems, id);
                }
            }
        } else if (!in.asText().equals(out.asText())) {
            problems.add(id + ": " + path + " = " + in + " was read as " + out);
        }
    }

    /** Reports every non-empty additionalProperties map in the object tree (= fields the model does not know). */
    private void unknownFields(Object root, String rootPath, List<String> problems, String id) {
        walk(root, rootPath, problems, id, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private void walk(Object o, String path, List<String> problems, String id, Set<Object> seen) {
        if (o == null || o instanceof CharSequence || o instanceof Number || o instanceof Boolean || o instanceof Enum
                || !seen.add(o)) {
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, problems, id, seen));
            return;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", problems, id, seen);
            }
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.") && !pkg.startsWith("io.strimzi.")) {
            return;
        }
        try {
            Object extra = o.getClass().getMethod("getAdditionalProperties").invoke(o);
            if (extra instanceof Map<?, ?> m && !m.isEmpty()) {
                problems.add(id + ": unknown field(s) " + m.keySet() + " at " + (path.isEmpty() ? "." : path));
            }
        } catch (NoSuchMethodException e) {
            // a model without a catch-all map
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        BeanDescription bean = mapper.getSerializationConfig().introspect(mapper.constructType(o.getClass()));
        for (BeanPropertyDefinition property : bean.findProperties()) {
            AnnotatedMember accessor = property.getAccessor();
            if (accessor == null) {
                continue;
            }
            accessor.fixAccess(true);
            Object value = accessor.getValue(o);
            if (value != null && pkg.startsWith("io.strimzi.") && accessor.hasAnnotation(Deprecated.class)) {
                problems.add(id + ": " + path + "." + property.getName()
                        + " is deprecated by Strimzi and not part of its v1 API");
            }
            walk(value, path + "." + property.getName(), problems, id, seen);
        }
    }

    private JsonSchema schema(String resource) {
        return loaded.computeIfAbsent(resource, r -> {
            try (InputStream in = Validator.class.getClassLoader().getResourceAsStream(r)) {
                if (in == null) {
                    throw new IllegalStateException("missing " + r);
                }
                return schemas.getSchema(mapper.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }
}
