package dev.omni.contracts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omni.contracts.profile.ProfileCreated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Whatever a record value holds, a consumer gets an {@link InvalidEventException} and dead-letters it. */
class EventDecodeFailureTest {

    static Stream<Arguments> poisonRecords() {
        String valid = EventCodec.encode(Samples.event(EventType.AVAILABILITY_CHANGED));
        return Stream.of(
                arguments("tombstone (null value)", null),
                arguments("empty value", ""),
                arguments("not JSON", "availability changed for SKU-1"),
                arguments("truncated JSON", valid.substring(0, valid.length() / 2)),
                arguments("JSON array", "[1, 2]"),
                arguments("JSON string", "\"omni.availability.changed\""),
                arguments("empty object", "{}"),
                arguments("missing id", availability(root -> root.remove("id"))),
                arguments("null id", availability(root -> root.putNull("id"))),
                arguments("id not a UUID", availability(root -> root.put("id", "42"))),
                arguments("missing specversion", availability(root -> root.remove("specversion"))),
                arguments("other specversion", availability(root -> root.put("specversion", "0.3"))),
                arguments("missing type", availability(root -> root.remove("type"))),
                arguments("unknown type", availability(root -> root.put("type", "omni.availability.exploded"))),
                arguments("type not a string", availability(root -> root.put("type", 7))),
                arguments("missing source", availability(root -> root.remove("source"))),
                arguments("missing subject", availability(root -> root.remove("subject"))),
                arguments("subject not a string", availability(root -> root.putObject("subject"))),
                arguments("missing time", availability(root -> root.remove("time"))),
                arguments("time not a timestamp", availability(root -> root.put("time", "yesterday"))),
                arguments("missing data", availability(root -> root.remove("data"))),
                arguments("null data", availability(root -> root.putNull("data"))),
                arguments("data is a string", availability(root -> root.put("data", "SKU-1 available 5"))),
                arguments("data is an array", availability(root -> root.putArray("data").add(5))),
                arguments("number field holds text", availability(root -> data(root).put("onHand", "many"))),
                arguments("number field missing", availability(root -> data(root).remove("available"))),
                arguments("number field null", availability(root -> data(root).putNull("available"))),
                arguments("date field not a date", availability(root -> data(root).put("changedAt", "today"))),
                arguments("list field holds an object", mutate(EventType.PROFILE_CREATED,
                        root -> data(root).putObject("identifiers"))),
                arguments("unknown channel", mutate(EventType.INTERACTION_RECORDED,
                        root -> data(root).put("channel", "telepathy"))),
                arguments("unknown movement kind", mutate(EventType.STOCK_MOVEMENT_RECORDED,
                        root -> data(root).put("kind", "STOLEN"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poisonRecords")
    void poisonRecordIsAnInvalidEvent(String what, String value) {
        assertThatThrownBy(() -> EventCodec.decode(value)).isExactlyInstanceOf(InvalidEventException.class);
    }

    @Test
    void typedDecodeRejectsAnotherPayload() {
        String json = EventCodec.encode(Samples.event(EventType.AVAILABILITY_CHANGED));

        assertThatThrownBy(() -> EventCodec.decode(json, ProfileCreated.class))
                .isExactlyInstanceOf(InvalidEventException.class)
                .hasMessageContaining("expected ProfileCreated but got omni.availability.changed");
    }

    private static String availability(Consumer<ObjectNode> change) {
        return mutate(EventType.AVAILABILITY_CHANGED, change);
    }

    private static String mutate(EventType type, Consumer<ObjectNode> change) {
        ObjectNode root = EventCodec.mapper().valueToTree(Samples.event(type));
        change.accept(root);
        return root.toString();
    }

    private static ObjectNode data(ObjectNode root) {
        return (ObjectNode) root.get("data");
    }
}
