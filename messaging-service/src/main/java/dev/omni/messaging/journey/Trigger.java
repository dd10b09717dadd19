package dev.omni.messaging.journey;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Something that may start journeys for a profile.
 *
 * @param key        what journeys match on: the interaction's event name, the segment id or name, the sku
 * @param properties the event's properties, {@code event.*} in the journey's templates
 */
public record Trigger(String type, UUID profileId, String key, Map<String, Object> properties) {

    public static final String INTERACTION = "interaction";
    public static final String SEGMENT_ENTERED = "segment-entered";
    public static final String BACK_IN_STOCK = "back-in-stock";
    public static final String RESERVATION_AT_RISK = "reservation-at-risk";
    public static final String RESERVATION_REALLOCATED = "reservation-reallocated";

    static final Set<String> TYPES = Set.of(INTERACTION, SEGMENT_ENTERED, BACK_IN_STOCK,
            RESERVATION_AT_RISK, RESERVATION_REALLOCATED);

    /** Whether a journey with this trigger starts on it. */
    boolean starts(JourneyDefinition.TriggerSpec spec) {
        if (!type.equals(spec.type())) {
            return false;
        }
        return switch (type) {
            case INTERACTION -> key.equals(spec.event());
            case SEGMENT_ENTERED -> key.equals(spec.segment())
                    || spec.segment() != null && spec.segment().equals(properties.get("segmentName"));
            case BACK_IN_STOCK -> spec.sku() == null || spec.sku().equals(key);
            default -> true;
        };
    }
}
