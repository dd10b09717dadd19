package dev.omni.attribution.touchpoint;

import dev.omni.attribution.journey.JourneyMaterializer;
import dev.omni.attribution.profile.ErasedProfile;
import dev.omni.contracts.Channel;
import dev.omni.contracts.EventType;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.platform.sql.NativeSql;
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
    private static final String INSERT_TOUCHPOINTS = "INSERT INTO touchpoint (id, profile_id, occurred_at, channel,"
            + " direct, online, event_name, campaign, source, medium, cost)"
            + " SELECT id, profile_id, occurred_at, channel, direct, online, event_name, campaign, source, medium,"
            + " cost::numeric FROM unnest(?1::uuid[], ?2::text[], ?3::timestamptz[], ?4::text[], ?5::boolean[],"
            + " ?6::boolean[], ?7::text[], ?8::text[], ?9::text[], ?10::text[], ?11::text[])"
            + " AS t(id, profile_id, occurred_at, channel, direct, online, event_name, campaign, source, medium, cost)";
    private static final String INSERT_CONVERSIONS = "INSERT INTO conversion (id, profile_id, occurred_at, value,"
            + " currency, channel, online, event_name, campaign)"
            + " SELECT id, profile_id, occurred_at, value::numeric, currency, channel, online, event_name, campaign"
            + " FROM unnest(?1::uuid[], ?2::text[], ?3::timestamptz[], ?4::text[], ?5::text[], ?6::text[],"
            + " ?7::boolean[], ?8::text[], ?9::text[])"
            + " AS t(id, profile_id, occurred_at, value, currency, channel, online, event_name, campaign)";

    private final JourneyMaterializer journeys;
    private final Pool pool;
    private final NativeSql sql;

    public TouchpointRecorder(JourneyMaterializer journeys, Pool pool, NativeSql sql) {
        this.journeys = journeys;
        this.pool = pool;
        this.sql = sql;
    }

    /**
     * What the interaction records: its touchpoint and, with a value, its conversion, as values the caller writes with
     * {@link #store} in the same transaction, once for a whole poll (null when nothing is recorded).
     *
     * @param eventId the CloudEvent id, kept as the touchpoint and conversion id
     * @param known   the erasures of the poll's profiles, read beforehand (one query for a poll instead of one per
     *                event); a profile it has not checked is looked up
     */
    public Uni<Recorded> recordInteraction(UUID eventId, Instant eventTime, InteractionRecorded interaction,
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
            Touchpoint touchpoint = null;
            if (!"identify".equals(interaction.kind())) {
                touchpoint = new Touchpoint();
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
            }
            Conversion conversion = conversion(eventId, at, name, campaign, interaction);
            return Uni.createFrom().item(touchpoint == null && conversion == null ? null
                    : new Recorded(interaction.profileId(), touchpoint, conversion));
        });
    }

    /**
     * Writes a poll's touchpoints and conversions, one statement each, and marks their profiles' journeys stale
     * (rebuilt every few seconds and before a report reads them), in the caller's transaction. Through Hibernate every
     * touchpoint was an entity in the session and an insert of its own.
     */
    public Uni<Void> store(List<Recorded> recorded) {
        List<Touchpoint> touchpoints = recorded.stream().map(Recorded::touchpoint).filter(Objects::nonNull).toList();
        List<Conversion> conversions = recorded.stream().map(Recorded::conversion).filter(Objects::nonNull).toList();
        Uni<Integer> touches = touchpoints.isEmpty() ? Uni.createFrom().item(0) : sql.write(INSERT_TOUCHPOINTS,
                NativeSql.column(touchpoints, t -> t.id, UUID[]::new),
                NativeSql.column(touchpoints, t -> t.profileId, String[]::new),
                NativeSql.column(touchpoints, t -> t.occurredAt, Instant[]::new),
                NativeSql.column(touchpoints, t -> t.channel, String[]::new),
                NativeSql.column(touchpoints, t -> t.direct, Boolean[]::new),
                NativeSql.column(touchpoints, t -> t.online, Boolean[]::new),
                NativeSql.column(touchpoints, t -> t.eventName, String[]::new),
                NativeSql.column(touchpoints, t -> t.campaign, String[]::new),
                NativeSql.column(touchpoints, t -> t.source, String[]::new),
                NativeSql.column(touchpoints, t -> t.medium, String[]::new),
                NativeSql.column(touchpoints, t -> plain(t.cost), String[]::new));
        return touches
                .chain(() -> conversions.isEmpty() ? Uni.createFrom().item(0) : sql.write(INSERT_CONVERSIONS,
                        NativeSql.column(conversions, c -> c.id, UUID[]::new),
                        NativeSql.column(conversions, c -> c.profileId, String[]::new),
                        NativeSql.column(conversions, c -> c.occurredAt, Instant[]::new),
                        NativeSql.column(conversions, c -> plain(c.value), String[]::new),
                        NativeSql.column(conversions, c -> c.currency, String[]::new),
                        NativeSql.column(conversions, c -> c.channel, String[]::new),
                        NativeSql.column(conversions, c -> c.online, Boolean[]::new),
                        NativeSql.column(conversions, c -> c.eventName, String[]::new),
                        NativeSql.column(conversions, c -> c.campaign, String[]::new)))
                .chain(() -> journeys.markStale(recorded.stream().map(Recorded::profileId).toList()));
    }

    /**
     * An opened or clicked message as a touchpoint of its channel, to write with {@link #store} in the same
     * transaction, once for a whole poll (null when nothing is recorded).
     */
    public Uni<Recorded> recordMessage(UUID eventId, String eventType, Instant eventTime, MessageStatusChanged message) {
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
            return Uni.createFrom().item(new Recorded(message.profileId(), touchpoint, null));
        });
    }

    /** What one event records: the profile whose journeys changed, its touchpoint and conversion (either may be null). */
    public record Recorded(String profileId, Touchpoint touchpoint, Conversion conversion) {
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    private static Conversion conversion(UUID eventId, Instant at, String name, String campaign,
            InteractionRecorded interaction) {
        if (interaction.value() == null) {
            return null;
        }
        if (interaction.value().signum() < 0) {
            Log.debugf("interaction %s has a negative value (a refund): not a conversion", eventId);
            return null;
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
        return conversion;
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
