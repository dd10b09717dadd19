package dev.omni.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * asyncapi.yaml is the contract other teams read; {@link EventType} and the payload records are what the services
 * compile against. This keeps the two in agreement: a new event type, record or record component that is not
 * documented (or documented with another type) fails the build.
 */
class AsyncApiAgreementTest {

    private static final String DEAD_LETTER_MESSAGE = "omni.dead-letter";

    private static JsonNode doc;
    /** Component message key → the addresses of the channels that carry it. */
    private static Map<String, Set<String>> addressesByMessage;

    @BeforeAll
    static void readDocument() throws IOException {
        try (InputStream in = AsyncApiAgreementTest.class.getResourceAsStream("/asyncapi.yaml")) {
            assertThat(in).as("asyncapi.yaml on the classpath").isNotNull();
            doc = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        addressesByMessage = new LinkedHashMap<>();
        doc.get("channels").fields().forEachRemaining(channel -> {
            String address = channel.getValue().get("address").asText();
            channel.getValue().get("messages").forEach(message -> addressesByMessage
                    .computeIfAbsent(componentKey(message), key -> new HashSet<>()).add(address));
        });
    }

    @Test
    void isAnAsyncApi3DocumentForTheLocalBroker() {
        assertThat(doc.get("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(doc.at("/info/title").asText()).isEqualTo("Omni events");
        assertThat(doc.at("/defaultContentType").asText()).isEqualTo(CloudEvent.CONTENT_TYPE);
        assertThat(doc.at("/servers/local/protocol").asText()).isEqualTo("kafka");
        assertThat(doc.at("/servers/local/host").asText()).isEqualTo("localhost:9092");
    }

    @Test
    void hasAChannelPerTopicAndPerDeadLetterTopic() throws IllegalAccessException {
        Set<String> expected = new HashSet<>();
        for (String topic : topics()) {
            expected.add(topic);
            expected.add(Topics.deadLetter(topic));
        }

        assertThat(addresses()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Arrays.stream(EventType.values()).map(EventType::topic)).allMatch(topics()::contains);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventTypeIsOneMessageOnItsTopic(EventType type) {
        List<String> keys = messageKeysNamed(type.type());

        assertThat(keys).as("messages named %s", type.type()).hasSize(1);
        assertThat(addressesByMessage.get(keys.get(0))).as("channels carrying %s", type.type())
                .containsExactly(type.topic());
        JsonNode message = doc.at("/components/messages/" + keys.get(0));
        assertThat(envelopePart(message, "type").get("const").asText()).isEqualTo(type.type());
        assertThat(ref(envelopePart(message, "data"))).isEqualTo(
                "#/components/schemas/" + type.payload().getSimpleName());
        assertThat(ref(message.at("/payload/allOf/0"))).isEqualTo("#/components/schemas/CloudEvent");
    }

    @Test
    void everyMessageIsAnEventTypeOrTheDeadLetter() {
        Set<String> types = Arrays.stream(EventType.values()).map(EventType::type).collect(Collectors.toSet());
        doc.at("/components/messages").fields().forEachRemaining(message -> {
            String name = message.getValue().get("name").asText();
            if (name.equals(DEAD_LETTER_MESSAGE)) {
                assertThat(addressesByMessage.get(message.getKey())).as("channels carrying the dead letter")
                        .allMatch(address -> address.endsWith(Topics.DLQ_SUFFIX));
            } else {
                assertThat(types).as("EventType of message %s", message.getKey()).contains(name);
            }
        });
    }

    @Test
    void deadLetterChannelsCarryOnlyTheDeadLetter() {
        doc.get("channels").forEach(channel -> {
            if (channel.get("address").asText().endsWith(Topics.DLQ_SUFFIX)) {
                List<String> names = new ArrayList<>();
                channel.get("messages").forEach(m -> names.add(resolve(m).get("name").asText()));
                assertThat(names).containsExactly(DEAD_LETTER_MESSAGE);
            }
        });
    }

    @Test
    void eachTopicHasOneProducerAndItsConsumersDeadLetterIt() throws IllegalAccessException {
        for (String topic : topics()) {
            assertThat(services(topic, "send")).as("producers of %s", topic).hasSize(1);
            assertThat(services(topic, "receive")).as("consumers of %s", topic).isNotEmpty();
            assertThat(services(Topics.deadLetter(topic), "send")).as("writers of %s", Topics.deadLetter(topic))
                    .isEqualTo(services(topic, "receive"));
        }
    }

    @Test
    void operationsOnlyNameMessagesOfTheirChannel() {
        doc.get("operations").fields().forEachRemaining(operation -> {
            String channelRef = ref(operation.getValue().get("channel"));
            assertThat(doc.at(channelRef.substring(1)).isMissingNode()).as(channelRef).isFalse();
            operation.getValue().get("messages").forEach(message -> {
                assertThat(ref(message)).as(operation.getKey()).startsWith(channelRef + "/messages/");
                assertThat(resolve(message).isMissingNode()).as(ref(message)).isFalse();
            });
        });
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void payloadSchemaDocumentsEveryRecordComponentWithItsType(EventType type) {
        checkRecord(type.payload(), schema(type.payload().getSimpleName()));
    }

    @Test
    void envelopeSchemaDocumentsEveryCloudEventField() {
        checkRecord(CloudEvent.class, schema("CloudEvent"));
        assertThat(names(schema("CloudEvent").get("required")))
                .containsExactlyInAnyOrder("specversion", "id", "source", "type", "subject", "time", "data");
    }

    private static void checkRecord(Class<?> record, JsonNode schema) {
        String name = record.getSimpleName();
        assertThat(record.isRecord()).as("%s is a record", name).isTrue();
        assertThat(schema.get("type").asText()).as("%s type", name).isEqualTo("object");
        List<String> components = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
        List<String> properties = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(properties::add);
        assertThat(properties).as("properties of schema %s", name).containsExactlyInAnyOrderElementsOf(components);
        List<String> required = names(schema.get("required"));
        assertThat(components).as("required of schema %s", name).containsAll(required);
        for (RecordComponent component : record.getRecordComponents()) {
            String where = name + "." + component.getName();
            if (component.getType().isPrimitive()) {
                assertThat(required).as("%s is primitive, so always written", where).contains(component.getName());
            }
            checkType(where, component.getGenericType(), resolve(schema.get("properties").get(component.getName())));
        }
    }

    private static void checkType(String where, Type javaType, JsonNode schema) {
        if (javaType instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                assertType(where, schema, "array");
                checkType(where + "[]", parameterized.getActualTypeArguments()[0], resolve(schema.get("items")));
            } else if (Map.class.isAssignableFrom(raw)) {
                assertType(where, schema, "object");
            } else {
                fail("%s: no JSON Schema mapping for %s", where, javaType);
            }
            return;
        }
        if (javaType instanceof TypeVariable<?>) {
            assertType(where, schema, "object");
            return;
        }
        Class<?> type = (Class<?>) javaType;
        if (type == String.class) {
            assertType(where, schema, "string");
        } else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            assertType(where, schema, "integer");
        } else if (type == BigDecimal.class || type == double.class || type == Double.class) {
            assertType(where, schema, "number");
        } else if (type == boolean.class || type == Boolean.class) {
            assertType(where, schema, "boolean");
        } else if (type == Instant.class) {
            assertType(where, schema, "string");
            assertThat(schema.path("format").asText()).as("%s format", where).isEqualTo("date-time");
        } else if (type == UUID.class) {
            assertType(where, schema, "string");
            assertThat(schema.path("format").asText()).as("%s format", where).isEqualTo("uuid");
        } else if (type.isEnum()) {
            assertType(where, schema, "string");
            List<String> wire = Arrays.stream(type.getEnumConstants())
                    .map(constant -> EventCodec.mapper().convertValue(constant, String.class)).toList();
            assertThat(names(schema.get("enum"))).as("%s enum", where).containsExactlyElementsOf(wire);
        } else if (type.isRecord()) {
            checkRecord(type, schema);
        } else {
            fail("%s: no JSON Schema mapping for %s", where, type);
        }
    }

    private static void assertType(String where, JsonNode schema, String jsonType) {
        assertThat(schema.path("type").asText()).as("%s type", where).isEqualTo(jsonType);
    }

    /** The part of a message's payload (after the envelope in {@code allOf}) that pins an envelope field. */
    private static JsonNode envelopePart(JsonNode message, String field) {
        JsonNode allOf = message.at("/payload/allOf");
        for (JsonNode part : allOf) {
            JsonNode property = part.path("properties").path(field);
            if (!property.isMissingNode()) {
                return property;
            }
        }
        return fail("payload of %s does not pin '%s'", message.get("name"), field);
    }

    private static List<String> messageKeysNamed(String name) {
        List<String> keys = new ArrayList<>();
        doc.at("/components/messages").fields().forEachRemaining(message -> {
            if (message.getValue().path("name").asText().equals(name)) {
                keys.add(message.getKey());
            }
        });
        return keys;
    }

    private static Set<String> services(String address, String action) {
        Set<String> services = new HashSet<>();
        doc.get("operations").forEach(operation -> {
            JsonNode channel = resolve(operation.get("channel"));
            if (channel.get("address").asText().equals(address) && operation.get("action").asText().equals(action)) {
                operation.get("tags").forEach(tag -> services.add(tag.get("name").asText()));
            }
        });
        return services;
    }

    private static Set<String> addresses() {
        Set<String> addresses = new HashSet<>();
        doc.get("channels").forEach(channel -> addresses.add(channel.get("address").asText()));
        return addresses;
    }

    /** The topic constants of {@link Topics} (every public String constant but the suffix). */
    private static Set<String> topics() throws IllegalAccessException {
        Set<String> topics = new HashSet<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && !field.getName().equals("DLQ_SUFFIX")) {
                topics.add((String) field.get(null));
            }
        }
        return topics;
    }

    private static JsonNode schema(String name) {
        JsonNode schema = doc.at("/components/schemas/" + name);
        assertThat(schema.isMissingNode()).as("schema %s", name).isFalse();
        return schema;
    }

    private static String componentKey(JsonNode channelMessage) {
        String ref = ref(channelMessage);
        assertThat(ref).startsWith("#/components/messages/");
        return ref.substring("#/components/messages/".length());
    }

    private static JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? resolve(doc.at(ref(node).substring(1))) : node;
    }

    private static String ref(JsonNode node) {
        assertThat(node.has("$ref")).as("%s is a $ref", node).isTrue();
        return node.get("$ref").asText();
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        if (array != null) {
            array.forEach(item -> names.add(item.asText()));
        }
        return names;
    }
}
