package dev.omni.attribution.touchpoint;

import dev.omni.attribution.journey.JourneyMaterializer;
import dev.omni.attribution.profile.ErasedProfile;
import dev.omni.contracts.Channel;
import dev.omni.contracts.EventType;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.message.MessageStatusChanged;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns consumed events into touchpoints and conversions. Every interaction except {@code identify} is a
 * touchpoint (the order itself too, so a till sale credits the store); one with a value is also a conversion;
 * opened and clicked messages are touchpoints of their channel.
 */
@ApplicationScoped
public class TouchpointRecorder {

    static final Set<Channel> OFFLINE = EnumSet.of(Channel.STORE, Channel.POS, Channel.CALL_CENTRE);
    static final Set<Channel> VISITS = EnumSet.of(Channel.WEB, Channel.APP);
    static final Set<String> MESSAGE_TOUCHES = Set.of(EventType.MESSAGE_OPENED.type(), EventType.MESSAGE_CLICKED.type());
    static final String MESSAGING_SOURCE = "omni-messaging";
    private static final int TEXT_LENGTH = 200;
    private static final String ERASED = "SELECT profile_id FROM erased_profile WHERE profile_id = ANY($1)";

    private final JourneyMaterializer journeys;
    private final Pool pool;

    public TouchpointRecorder(JourneyMaterializer journeys, Pool pool) {
        this.journeys = journeys;
        this.pool = pool;
    }

    /**
     * Records the touchpoint and conversion; the caller rebuilds the journeys of the profile it returns (null when
     * nothing was recorded) with {@link #refreshJourneys} in the same transaction, once for a whole batch.
     *
     * @param eventId the CloudEvent id, kept as the touchpoint and conversion id
     * @param known   the erasures of the poll's profiles, read beforehand (one query for a poll instead of one per
     *                event); a profile it has not checked is looked up
     */
    public Uni<String> recordInteraction(UUID eventId, Instant eventTime, InteractionRecorded interaction,
            Erasures known) {
        if (interaction.profileId() == null || interaction.channel() == null) {
            Log.warnf("interaction %s has no profile or channel: not a touchpoint", eventId);
            return Uni.createFrom().nullItem();
        }
        Instant at = interaction.occurredAt() != null ? interaction.occurredAt() : eventTime;
        Map<String, Object> properties = interaction.properties() == null ? Map.of() : interaction.properties();
        String name = text(interaction.event() != null && !interaction.event().isBlank() ? interaction.event()
                : interaction.kind() != null ? interaction.kind() : "interaction");
        String campaign = text(firstNonBlank(interaction.campaign(), property(properties, "utm_campaign"),
                property(properties, "campaign")));
        String source = text(firstNonBlank(property(properties, "source"), property(properties, "utm_source")));
        String medium = text(firstNonBlank(property(properties, "medium"), property(properties, "utm_medium")));
        String referrer = firstNonBlank(property(properties, "referrer"), property(properties, "referer"));
        return unlessErased(interaction.profileId(), known, () -> {
            Uni<Void> touch = Uni.createFrom().voidItem();
            if (!"identify".equals(interaction.kind())) {
                Touchpoint touchpoint = new Touchpoint();
                touchpoint.id = eventId;
                touchpoint.profileId = interaction.profileId();
                touchpoint.occurredAt = at;
                touchpoint.channel = interaction.channel().wire();
                touchpoint.direct = VISITS.contains(interaction.channel()) && source == null && medium == null
                        && campaign == null && referrer == null;
                touchpoint.online = !OFFLINE.contains(interaction.channel());
                touchpoint.eventName = name;
                touchpoint.campaign = campaign;
                touchpoint.source = source;
                touchpoint.medium = medium;
                touchpoint.cost = decimal(properties.get("cost"));
                touch = touchpoint.persist().replaceWithVoid();
            }
            boolean recorded = !"identify".equals(interaction.kind())
                    || interaction.value() != null && interaction.value().signum() >= 0;
            return touch.chain(() -> conversion(eventId, at, name, campaign, interaction))
                    .replaceWith(recorded ? interaction.profileId() : null);
        });
    }

    /** Rebuilds the journeys of the given profiles' groups (each once), in the caller's transaction. */
    public Uni<Void> refreshJourneys(List<String> profileIds) {
        return journeys.refresh(profileIds);
    }

    /**
     * An opened or clicked message as a touchpoint of its channel; returns the profile whose journeys changed (or
     * null), to rebuild with {@link #refreshJourneys} in the same transaction, once for a whole batch.
     */
    public Uni<String> recordMessage(UUID eventId, String eventType, Instant eventTime, MessageStatusChanged message) {
        if (!MESSAGE_TOUCHES.contains(eventType) || message.profileId() == null || message.channel() == null) {
            return Uni.createFrom().nullItem();
        }
        return unlessErased(message.profileId(), Erasures.NONE_CHECKED, () -> {
            Touchpoint touchpoint = new Touchpoint();
            touchpoint.id = eventId;
            touchpoint.profileId = message.profileId();
            touchpoint.occurredAt = message.at() != null ? message.at() : eventTime;
            touchpoint.channel = message.channel().wire();
            touchpoint.direct = false;
            touchpoint.online = !OFFLINE.contains(message.channel());
            touchpoint.eventName = eventType.equals(EventType.MESSAGE_CLICKED.type()) ? "message_clicked"
                    : "message_opened";
            touchpoint.campaign = text(firstNonBlank(message.campaign(), message.journeyId()));
            touchpoint.source = MESSAGING_SOURCE;
            touchpoint.medium = message.channel().wire();
            return touchpoint.persist().replaceWith(message.profileId());
        });
    }

    private static Uni<Void> conversion(UUID eventId, Instant at, String name, String campaign,
            InteractionRecorded interaction) {
        if (interaction.value() == null) {
            return Uni.createFrom().voidItem();
        }
        if (interaction.value().signum() < 0) {
            Log.debugf("interaction %s has a negative value (a refund): not a conversion", eventId);
            return Uni.createFrom().voidItem();
        }
        Conversion conversion = new Conversion();
        conversion.id = eventId;
        conversion.profileId = interaction.profileId();
        conversion.occurredAt = at;
        conversion.value = interaction.value();
        conversion.currency = interaction.currency();
        conversion.channel = interaction.channel().wire();
        conversion.online = !OFFLINE.contains(interaction.channel());
        conversion.eventName = name;
        conversion.campaign = campaign;
        return conversion.persist().replaceWithVoid();
    }

    /** Which of the profiles were erased (their later events are dropped), in one query on a pooled connection. */
    public Uni<Erasures> erasures(Collection<String> profileIds) {
        Set<String> checked = Set.copyOf(profileIds);
        if (checked.isEmpty()) {
            return Uni.createFrom().item(Erasures.NONE_CHECKED);
        }
        return pool.preparedQuery(ERASED).execute(Tuple.of((Object) checked.toArray(String[]::new))).map(rows -> {
            Set<String> erased = new HashSet<>();
            rows.forEach(row -> erased.add(row.getString(0)));
            return new Erasures(checked, erased);
        });
    }

    /** The erasures of some profiles as read at one moment: {@code checked} were looked up, {@code erased} were. */
    public record Erasures(Set<String> checked, Set<String> erased) {
        static final Erasures NONE_CHECKED = new Erasures(Set.of(), Set.of());
    }

    /** {@code record}'s result, or null without calling it when the profile was erased. */
    private static <T> Uni<T> unlessErased(String profileId, Erasures known, Supplier<Uni<T>> record) {
        Uni<Boolean> erased = known.checked().contains(profileId)
                ? Uni.createFrom().item(known.erased().contains(profileId))
                : ErasedProfile.<ErasedProfile>findById(profileId).map(Objects::nonNull);
        return erased.chain(gone -> {
            if (gone) {
                Log.debugf("profile %s was erased: event dropped", profileId);
                return Uni.createFrom().nullItem();
            }
            return record.get();
        });
    }

    private static String property(Map<String, Object> properties, String key) {
        Object value = properties.get(key);
        return value == null ? null : value.toString();
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    private static String text(String value) {
        return value == null || value.length() <= TEXT_LENGTH ? value : value.substring(0, TEXT_LENGTH);
    }

    /** A cost given as a number or a numeric string; anything else (or a negative cost) is unknown. */
    static BigDecimal decimal(Object value) {
        BigDecimal cost;
        if (value instanceof BigDecimal decimal) {
            cost = decimal;
        } else if (value instanceof Number number) {
            cost = new BigDecimal(number.toString());
        } else if (value instanceof String text) {
            try {
                cost = new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        return cost.signum() < 0 || cost.precision() - cost.scale() > 10 ? null : cost;
    }
}
