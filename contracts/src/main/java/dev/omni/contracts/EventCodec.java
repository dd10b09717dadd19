package dev.omni.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Turns {@link CloudEvent}s into the JSON written on Kafka and back, resolving {@code data} to the payload
 * record its {@code type} names. Unknown fields are ignored so producers can add fields without breaking
 * consumers.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(CloudEvent<?> event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + event.type(), e);
        }
    }

    /**
     * Reads one record value.
     *
     * @throws InvalidEventException when the value is null (a tombstone) or not JSON, lacks an envelope field, names
     *                               an unknown type or another specversion, or carries data that does not fit the
     *                               type's payload (including a missing or null number)
     */
    public static CloudEvent<?> decode(String json) {
        if (json == null) {
            throw new InvalidEventException("no record value");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException("not a JSON object");
        }
        String specversion = text(root, "specversion");
        if (!CloudEvent.SPEC_VERSION.equals(specversion)) {
            throw new InvalidEventException("unsupported specversion '" + specversion + "'");
        }
        EventType type;
        try {
            type = EventType.fromType(text(root, "type"));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(e.getMessage(), e);
        }
        UUID id;
        Instant time;
        try {
            id = UUID.fromString(text(root, "id"));
            time = Instant.parse(text(root, "time"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidEventException("bad " + type.type() + " envelope: " + e.getMessage(), e);
        }
        String source = text(root, "source");
        String subject = text(root, "subject");
        JsonNode datacontenttype = root.get("datacontenttype");
        required(root, "data");
        return new CloudEvent<>(specversion, id, source, type.type(), subject, time,
                datacontenttype != null && datacontenttype.isTextual() ? datacontenttype.asText()
                        : CloudEvent.DATA_CONTENT_TYPE,
                data(json, type));
    }

    /** Decodes and checks the payload is of the expected class. */
    public static <T> CloudEvent<T> decode(String json, Class<T> payload) {
        CloudEvent<?> event = decode(json);
        if (!payload.isInstance(event.data())) {
            throw new InvalidEventException("expected " + payload.getSimpleName() + " but got " + event.type());
        }
        @SuppressWarnings("unchecked")
        CloudEvent<T> typed = (CloudEvent<T>) event;
        return typed;
    }

    /**
     * Binds {@code data} from the text rather than from the tree, which holds decimals as doubles (a
     * {@code BigDecimal} 129.90 would come back as 129.9). A missing number is an error, not a silent 0.
     */
    private static Object data(String json, EventType type) {
        try {
            return MAPPER.readerFor(type.payload())
                    .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .at("/data")
                    .readValue(json);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new InvalidEventException("bad " + type.type() + " data: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidEventException("missing '" + field + "'");
        }
        return node;
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = required(root, field);
        if (!node.isTextual()) {
            throw new InvalidEventException("'" + field + "' is not a string");
        }
        return node.asText();
    }
}
