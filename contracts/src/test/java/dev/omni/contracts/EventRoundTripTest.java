package dev.omni.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.stock.MovementKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventRoundTripTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void sampleFillsEveryFieldOfItsPayload(EventType type) throws Exception {
        Object payload = Samples.payload(type);

        assertThat(payload).isInstanceOf(type.payload());
        for (RecordComponent component : type.payload().getRecordComponents()) {
            assertThat(component.getAccessor().invoke(payload)).as(component.getName()).isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void decodingWhatWasEncodedGivesTheSameEvent(EventType type) {
        CloudEvent<?> event = Samples.event(type);

        CloudEvent<?> decoded = EventCodec.decode(EventCodec.encode(event));

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.eventType()).isEqualTo(type);
        assertThat(decoded.data()).isInstanceOf(type.payload());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void typedDecodeReturnsThePayloadRecord(EventType type) {
        String json = EventCodec.encode(Samples.event(type));

        CloudEvent<?> decoded = EventCodec.decode(json, type.payload());

        assertThat(decoded.data()).isEqualTo(Samples.payload(type));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void jsonIsTheStructuredEnvelopeWithCamelCaseData(EventType type) throws Exception {
        CloudEvent<?> event = Samples.event(type);

        JsonNode json = EventCodec.mapper().readTree(EventCodec.encode(event));

        assertThat(fieldNames(json)).containsExactlyInAnyOrder("specversion", "id", "source", "type", "subject",
                "time", "datacontenttype", "data");
        assertThat(json.get("specversion").asText()).isEqualTo("1.0");
        assertThat(json.get("id").asText()).isEqualTo(event.id().toString());
        assertThat(json.get("source").asText()).isEqualTo(Samples.source(type));
        assertThat(json.get("type").asText()).isEqualTo(type.type());
        assertThat(json.get("subject").asText()).isEqualTo(event.key());
        assertThat(json.get("time").asText()).isEqualTo("2025-03-14T09:26:53.589793Z");
        assertThat(json.get("datacontenttype").asText()).isEqualTo("application/json");
        List<String> components = Arrays.stream(type.payload().getRecordComponents())
                .map(RecordComponent::getName).toList();
        assertThat(fieldNames(json.get("data"))).containsExactlyInAnyOrderElementsOf(components)
                .allMatch(name -> name.matches("[a-z][a-zA-Z0-9]*"), "camelCase");
    }

    @Test
    void channelIsWrittenLowerCase() throws Exception {
        JsonNode data = EventCodec.mapper()
                .readTree(EventCodec.encode(Samples.event(EventType.INTERACTION_RECORDED))).get("data");

        assertThat(data.get("channel").asText()).isEqualTo("call_centre");
        for (Channel channel : Channel.values()) {
            String wire = EventCodec.mapper().writeValueAsString(channel);
            assertThat(wire).isEqualTo('"' + channel.name().toLowerCase() + '"');
            assertThat(EventCodec.mapper().readValue(wire, Channel.class)).isEqualTo(channel);
        }
    }

    @Test
    void movementKindIsWrittenUpperCase() throws Exception {
        JsonNode data = EventCodec.mapper()
                .readTree(EventCodec.encode(Samples.event(EventType.STOCK_MOVEMENT_RECORDED))).get("data");

        assertThat(data.get("kind").asText()).isEqualTo(MovementKind.TRANSFER_OUT.name());
    }

    @Test
    void moneyKeepsItsScaleAndDatesAreIsoStrings() throws Exception {
        String json = EventCodec.encode(Samples.event(EventType.INTERACTION_RECORDED));

        assertThat(json).contains("\"value\":129.90").contains("\"occurredAt\":\"2025-03-14T09:26:53.589793Z\"");
        InteractionRecorded decoded = EventCodec.decode(json, InteractionRecorded.class).data();
        assertThat(decoded.value()).isEqualTo(new BigDecimal("129.90"));
    }

    @Test
    void absentOptionalFieldsAreLeftOut() {
        InteractionRecorded pageView = new InteractionRecorded(Samples.PROFILE, "seg-msg-1", "page", "product_viewed",
                Channel.WEB, Samples.AT, null, null, null, null);
        CloudEvent<InteractionRecorded> event = CloudEvent.of(EventType.INTERACTION_RECORDED, "/profile-service",
                Samples.PROFILE, pageView);

        String json = EventCodec.encode(event);

        assertThat(json).doesNotContain("properties", "\"value\"", "currency", "campaign");
        assertThat(EventCodec.decode(json)).isEqualTo(event);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
