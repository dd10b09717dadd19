package dev.omni.console.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/** The gateway's JSON as plain maps and lists, which templates read with {@code {profile.traits.firstName}}. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static Map<String, Object> map(JsonNode node) {
        return node == null || node.isNull() ? Map.of() : MAPPER.convertValue(node, new TypeReference<>() { });
    }

    public static List<Object> list(JsonNode node) {
        return node == null || !node.isArray() ? List.of() : MAPPER.convertValue(node, new TypeReference<>() { });
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
