package dev.omni.contracts;

import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.contracts.availability.BackInStock;
import dev.omni.contracts.availability.ChannelAvailabilityChanged;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.contracts.profile.ConsentChanged;
import dev.omni.contracts.profile.ProfileCreated;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.contracts.profile.ProfileIdentified;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.contracts.profile.ProfileUnmerged;
import dev.omni.contracts.profile.SegmentMembershipChanged;
import dev.omni.contracts.reservation.ReservationAtRisk;
import dev.omni.contracts.reservation.ReservationChanged;
import dev.omni.contracts.reservation.ReservationReallocated;
import dev.omni.contracts.stock.StockMovementRecorded;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event type on Omni's topics: its CloudEvents {@code type}, its topic and its payload record. */
public enum EventType {
    INTERACTION_RECORDED("omni.interaction.recorded", Topics.INTERACTIONS, InteractionRecorded.class),

    PROFILE_CREATED("omni.profile.created", Topics.PROFILES, ProfileCreated.class),
    PROFILE_IDENTIFIED("omni.profile.identified", Topics.PROFILES, ProfileIdentified.class),
    PROFILE_MERGED("omni.profile.merged", Topics.PROFILES, ProfileMerged.class),
    PROFILE_UNMERGED("omni.profile.unmerged", Topics.PROFILES, ProfileUnmerged.class),
    CONSENT_CHANGED("omni.profile.consent-changed", Topics.PROFILES, ConsentChanged.class),
    SEGMENT_ENTERED("omni.profile.segment-entered", Topics.PROFILES, SegmentMembershipChanged.class),
    SEGMENT_EXITED("omni.profile.segment-exited", Topics.PROFILES, SegmentMembershipChanged.class),
    PROFILE_ERASED("omni.profile.erased", Topics.PROFILES, ProfileErased.class),

    STOCK_MOVEMENT_RECORDED("omni.stock.movement-recorded", Topics.STOCK_MOVEMENTS, StockMovementRecorded.class),

    AVAILABILITY_CHANGED("omni.availability.changed", Topics.AVAILABILITY, AvailabilityChanged.class),
    CHANNEL_AVAILABILITY_CHANGED("omni.availability.channel-changed", Topics.AVAILABILITY,
            ChannelAvailabilityChanged.class),
    BACK_IN_STOCK("omni.availability.back-in-stock", Topics.AVAILABILITY, BackInStock.class),

    RESERVATION_CHANGED("omni.reservation.changed", Topics.RESERVATIONS, ReservationChanged.class),
    RESERVATION_AT_RISK("omni.reservation.at-risk", Topics.RESERVATIONS, ReservationAtRisk.class),
    RESERVATION_REALLOCATED("omni.reservation.reallocated", Topics.RESERVATIONS, ReservationReallocated.class),

    MESSAGE_QUEUED("omni.message.queued", Topics.MESSAGE_EVENTS, MessageStatusChanged.class),
    MESSAGE_SENT("omni.message.sent", Topics.MESSAGE_EVENTS, MessageStatusChanged.class),
    MESSAGE_DELIVERED("omni.message.delivered", Topics.MESSAGE_EVENTS, MessageStatusChanged.class),
    MESSAGE_OPENED("omni.message.opened", Topics.MESSAGE_EVENTS, MessageStatusChanged.class),
    MESSAGE_CLICKED("omni.message.clicked", Topics.MESSAGE_EVENTS, MessageStatusChanged.class),
    MESSAGE_FAILED("omni.message.failed", Topics.MESSAGE_EVENTS, MessageStatusChanged.class),
    MESSAGE_SUPPRESSED("omni.message.suppressed", Topics.MESSAGE_EVENTS, MessageStatusChanged.class);

    private static final Map<String, EventType> BY_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));

    private final String type;
    private final String topic;
    private final Class<?> payload;

    EventType(String type, String topic, Class<?> payload) {
        this.type = type;
        this.topic = topic;
        this.payload = payload;
    }

    public String type() {
        return type;
    }

    public String topic() {
        return topic;
    }

    public Class<?> payload() {
        return payload;
    }

    public static EventType fromType(String type) {
        EventType found = BY_TYPE.get(type);
        if (found == null) {
            throw new IllegalArgumentException("unknown event type '" + type + "'");
        }
        return found;
    }
}
