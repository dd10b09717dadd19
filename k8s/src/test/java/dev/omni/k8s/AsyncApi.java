package dev.omni.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;

/** The contract of dev.omni:contracts (asyncapi.yaml in its jar): which service sends and receives which topic. */
final class AsyncApi {
    private static final JsonNode DOC = load();

    private AsyncApi() {
    }

    private static JsonNode load() {
        try (InputStream in = AsyncApi.class.getClassLoader().getResourceAsStream("asyncapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("asyncapi.yaml is not on the classpath (dev.omni:contracts)");
            }
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Topics (channel addresses) of the operations tagged with the service, for action "send" or "receive". */
    static Set<String> topics(String service, String action) {
        Set<String> out = new TreeSet<>();
        DOC.path("operations").forEach(op -> {
            boolean tagged = false;
            for (JsonNode tag : op.path("tags")) {
                tagged |= tag.path("name").asText().equals(service);
            }
            if (tagged && op.path("action").asText().equals(action)) {
                String ref = op.path("channel").path("$ref").asText();
                String channel = ref.substring(ref.lastIndexOf('/') + 1);
                out.add(DOC.path("channels").path(channel).path("address").asText());
            }
        });
        return out;
    }

    /** The Kafka topic configuration the contract states for a topic (e.g. cleanup.policy of omni.availability). */
    static JsonNode topicConfiguration(String topic) {
        for (JsonNode channel : DOC.path("channels")) {
            if (channel.path("address").asText().equals(topic)) {
                return channel.path("bindings").path("kafka").path("topicConfiguration");
            }
        }
        throw new IllegalArgumentException("no channel " + topic);
    }
}
