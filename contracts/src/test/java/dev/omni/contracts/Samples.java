package dev.omni.contracts;

import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.contracts.availability.BackInStock;
import dev.omni.contracts.availability.ChannelAvailabilityChanged;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.contracts.profile.ConsentChanged;
import dev.omni.contracts.profile.Identifier;
import dev.omni.contracts.profile.ProfileCreated;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.contracts.profile.ProfileIdentified;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.contracts.profile.ProfileUnmerged;
import dev.omni.contracts.profile.SegmentMembershipChanged;
import dev.omni.contracts.reservation.ReservationAtRisk;
import dev.omni.contracts.reservation.ReservationChanged;
import dev.omni.contracts.reservation.ReservationLine;
import dev.omni.contracts.reservation.ReservationReallocated;
import dev.omni.contracts.stock.MovementKind;
import dev.omni.contracts.stock.StockMovementRecorded;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One realistic event per {@link EventType}, every payload field populated. */
final class Samples {

    static final Instant AT = Instant.parse("2025-03-14T09:26:53.589793Z");
    static final String PROFILE = "prf_01JQ4Z8K2M3N4P5Q6R7S8T9V0W";
    static final String ABSORBED = "prf_01JQ4Z9A1B2C3D4E5F6G7H8J9K";
    static final String SKU = "SKU-TRAIL-42-BLU";
    static final String STORE = "store-lyon-01";
    static final String OTHER_STORE = "store-lyon-02";
    static final String RESERVATION = "res_7f3c2a";
    static final String MESSAGE = "msg_5d9e1b";
    static final String MERGE = "mrg_2b8c4d";

    private static final Identifier EMAIL = new Identifier("email", "ada@example.com");
    private static final Identifier PHONE = new Identifier("phone", "+33612345678");
    private static final Identifier ANONYMOUS = new Identifier("anonymousId", "anon-3f9a7c");
    private static final List<ReservationLine> LINES = List.of(
            new ReservationLine(SKU, STORE, 1),
            new ReservationLine("SKU-SOCK-M-GRY", STORE, 2));

    private Samples() {
    }

    /** The event {@code type}'s producer would publish, with a fixed id and time. */
    static CloudEvent<?> event(EventType type) {
        Object data = payload(type);
        return new CloudEvent<>(CloudEvent.SPEC_VERSION,
                UUID.nameUUIDFromBytes(type.type().getBytes(StandardCharsets.UTF_8)), source(type), type.type(),
                subject(type), AT, CloudEvent.DATA_CONTENT_TYPE, data);
    }

    static Object payload(EventType type) {
        return switch (type) {
            case INTERACTION_RECORDED -> new InteractionRecorded(PROFILE, "seg-msg-8812", "track", "order_completed",
                    Channel.CALL_CENTRE, AT,
                    Map.of("orderId", "ord-1001", "items", 3, "rating", 4.5, "giftWrap", true,
                            "skus", List.of(SKU, "SKU-SOCK-M-GRY")),
                    new BigDecimal("129.90"), "EUR", "spring-sale-2025");
            case PROFILE_CREATED -> new ProfileCreated(PROFILE, List.of(ANONYMOUS, EMAIL), AT);
            case PROFILE_IDENTIFIED -> new ProfileIdentified(PROFILE, List.of(ANONYMOUS, EMAIL, PHONE),
                    Map.of("firstName", "Ada", "timeZone", "Europe/Paris", "loyaltyTier", "gold"), AT);
            case PROFILE_MERGED -> new ProfileMerged(MERGE, PROFILE, ABSORBED, List.of(PHONE),
                    "shared phone", AT);
            case PROFILE_UNMERGED -> new ProfileUnmerged(MERGE, PROFILE, ABSORBED, List.of(PHONE), AT);
            case CONSENT_CHANGED -> new ConsentChanged(PROFILE, "sms", "marketing", "granted", "web", AT);
            case SEGMENT_ENTERED, SEGMENT_EXITED -> new SegmentMembershipChanged(PROFILE, "seg_vip",
                    "VIP customers", AT);
            case PROFILE_ERASED -> new ProfileErased(PROFILE, AT);
            case STOCK_MOVEMENT_RECORDED -> new StockMovementRecorded("pos-77-000123", MovementKind.TRANSFER_OUT,
                    SKU, STORE, 4, 12, "trf-0042", "pos-lyon", AT);
            case AVAILABILITY_CHANGED -> new AvailabilityChanged(SKU, "prod-trail-42", STORE, 12, 3, 1, 2, 1, 5,
                    AT);
            case CHANNEL_AVAILABILITY_CHANGED -> new ChannelAvailabilityChanged(SKU, "prod-trail-42", "online", 17,
                    AT);
            case BACK_IN_STOCK -> new BackInStock(SKU, "prod-trail-42", STORE, 6, List.of(PROFILE, ABSORBED), AT);
            case RESERVATION_CHANGED -> new ReservationChanged(RESERVATION, PROFILE, "created", LINES,
                    AT.plusSeconds(7200), AT);
            case RESERVATION_AT_RISK -> new ReservationAtRisk(RESERVATION, PROFILE, SKU, STORE, 1, AT);
            case RESERVATION_REALLOCATED -> new ReservationReallocated(RESERVATION, PROFILE, STORE, OTHER_STORE,
                    List.of(new ReservationLine(SKU, OTHER_STORE, 1)), AT);
            case MESSAGE_QUEUED, MESSAGE_SENT, MESSAGE_DELIVERED, MESSAGE_OPENED, MESSAGE_CLICKED, MESSAGE_FAILED,
                    MESSAGE_SUPPRESSED -> new MessageStatusChanged(MESSAGE, PROFILE, Channel.EMAIL, "tpl-back-in-stock",
                    "jrn-back-in-stock", "spring-sale-2025", "smtp", "quiet_hours",
                    "https://shop.example.com/p/trail-42?utm_campaign=spring-sale-2025", AT);
        };
    }

    /** The record key, as documented per message in asyncapi.yaml. */
    static String subject(EventType type) {
        return switch (type.topic()) {
            case Topics.INTERACTIONS, Topics.PROFILES -> PROFILE;
            case Topics.STOCK_MOVEMENTS -> SKU + "@" + STORE;
            case Topics.AVAILABILITY -> switch (type) {
                case CHANNEL_AVAILABILITY_CHANGED -> SKU + "@online";
                case BACK_IN_STOCK -> "back-in-stock:" + SKU + "@" + STORE;
                default -> SKU + "@" + STORE;
            };
            case Topics.RESERVATIONS -> RESERVATION;
            case Topics.MESSAGE_EVENTS -> MESSAGE;
            default -> throw new IllegalArgumentException("no sample key for " + type.topic());
        };
    }

    static String source(EventType type) {
        return switch (type.topic()) {
            case Topics.INTERACTIONS, Topics.PROFILES -> "/profile-service";
            case Topics.STOCK_MOVEMENTS -> "/gateway";
            case Topics.AVAILABILITY, Topics.RESERVATIONS -> "/inventory-service";
            case Topics.MESSAGE_EVENTS -> "/messaging-service";
            default -> throw new IllegalArgumentException("no sample source for " + type.topic());
        };
    }
}
