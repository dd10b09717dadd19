package dev.omni.messaging.message;

import dev.omni.contracts.Channel;
import dev.omni.messaging.MessagingConfig;
import dev.omni.messaging.contact.Consent;
import dev.omni.messaging.contact.Contact;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The rules every send passes, in order: consent for the channel and purpose, an address to send to, quiet hours in
 * the profile's time zone (the message is held, not dropped), then frequency caps per channel and across channels.
 * Transactional messages skip quiet hours and caps, never consent. Callers hold the profile's contact row lock, so
 * concurrent sends to one profile are counted one after another. (Idempotency keys are checked before any of these.)
 */
@ApplicationScoped
public class Guards {

    public static final String CONSENT = "consent";
    public static final String NO_ADDRESS = "no_address";
    public static final String QUIET_HOURS = "quiet_hours";
    public static final String FREQUENCY_CAP = "frequency_cap";

    /** Consent records profile-service may use for the chat channel (WhatsApp, RCS). */
    private static final Map<Channel, Set<String>> CONSENT_CHANNELS = Map.of(
            Channel.EMAIL, Set.of("email"),
            Channel.SMS, Set.of("sms"),
            Channel.PUSH, Set.of("push"),
            Channel.CHAT, Set.of("chat", "whatsapp", "rcs"));
    /** Marketing messages that went or will go out, per channel and overall, in the last day and week. */
    private static final String COUNT_RECENT = """
            SELECT count(*) FILTER (WHERE channel = ?2 AND created_at > ?3),
                   count(*) FILTER (WHERE channel = ?2),
                   count(*) FILTER (WHERE created_at > ?3),
                   count(*)
            FROM message
            WHERE profile_id = ?1 AND purpose = 'MARKETING' AND created_at > ?4
              AND status IN ('QUEUED', 'HELD', 'SENDING', 'SENT', 'DELIVERED', 'OPENED', 'CLICKED')""";

    /** {@link #COUNT_RECENT} for many profiles at once, per profile and channel. */
    private static final String COUNT_RECENT_OF_PROFILES = """
            SELECT profile_id, channel, count(*) FILTER (WHERE created_at > ?2), count(*)
            FROM message
            WHERE profile_id IN (?1) AND purpose = 'MARKETING' AND created_at > ?3
              AND status IN ('QUEUED', 'HELD', 'SENDING', 'SENT', 'DELIVERED', 'OPENED', 'CLICKED')
            GROUP BY profile_id, channel""";

    private final MessagingConfig config;

    public Guards(MessagingConfig config) {
        this.config = config;
    }

    /** Send now, hold until a time, or stop with a reason. */
    public record Decision(MessageStatus status, String reason, String detail, Instant sendAfter) {

        static Decision send() {
            return new Decision(MessageStatus.QUEUED, null, null, null);
        }

        static Decision hold(Instant until) {
            return new Decision(MessageStatus.HELD, QUIET_HOURS, "held until quiet hours end", until);
        }

        static Decision stop(String reason, String detail) {
            return new Decision(MessageStatus.SUPPRESSED, reason, detail, null);
        }
    }

    /**
     * @param contact the locked contact row, null when messaging has never heard of the profile
     * @param address where the message would go (an explicit recipient or the contact point), null if none
     */
    public Uni<Decision> decide(Contact contact, Channel channel, Purpose purpose, String address, Instant now) {
        return consent(contact, channel, purpose).chain(consented -> {
            if (!consented) {
                return Uni.createFrom().item(Decision.stop(CONSENT, "no " + purpose.wire() + " consent for "
                        + channel.wire()));
            }
            if (address == null) {
                return Uni.createFrom().item(Decision.stop(NO_ADDRESS, "no " + channel.wire() + " contact point"));
            }
            if (purpose == Purpose.TRANSACTIONAL) {
                return Uni.createFrom().item(Decision.send());
            }
            Instant quietUntil = quietUntil(contact, now);
            if (quietUntil != null) {
                return Uni.createFrom().item(Decision.hold(quietUntil));
            }
            return caps(contact, channel, now);
        });
    }

    /**
     * Marketing needs a consent granted for the channel; transactional messages go unless the profile denied or
     * revoked them (they serve a contract the customer entered).
     */
    public Uni<Boolean> consent(Contact contact, Channel channel, Purpose purpose) {
        if (contact == null || contact.erased()) {
            return Uni.createFrom().item(purpose == Purpose.TRANSACTIONAL && contact == null);
        }
        return Consent.<Consent>list("profileId = ?1 and purpose = ?2 and channel in ?3", contact.profileId,
                        purpose.wire(), CONSENT_CHANNELS.get(channel))
                .map(consents -> consented(contact, consents, channel, purpose));
    }

    /**
     * {@link #consent} over consent rows already read: {@code consents} may hold the profile's rows of any channel
     * and purpose (a batch reads them all at once).
     */
    public boolean consented(Contact contact, List<Consent> consents, Channel channel, Purpose purpose) {
        if (contact == null || contact.erased()) {
            return purpose == Purpose.TRANSACTIONAL && contact == null;
        }
        Set<String> channels = CONSENT_CHANNELS.get(channel);
        List<Consent> relevant = consents.stream()
                .filter(c -> c.purpose.equals(purpose.wire()) && channels.contains(c.channel)).toList();
        return purpose == Purpose.MARKETING
                ? relevant.stream().anyMatch(c -> Consent.GRANTED.equals(c.status))
                : relevant.stream().allMatch(c -> Consent.GRANTED.equals(c.status));
    }

    /**
     * {@link #decide} for one message of a batch, in the same order with the same reasons, over rows the batch read
     * at once: the profile's consents and its recent marketing counts. A message that will go out (or is held) is
     * added to {@code recent}, so the next one of the batch for that profile sees it, as it would see the row.
     */
    public Decision decide(Contact contact, List<Consent> consents, Recent recent, Channel channel, Purpose purpose,
            String address, Instant now) {
        Decision decision;
        if (!consented(contact, consents, channel, purpose)) {
            decision = Decision.stop(CONSENT, "no " + purpose.wire() + " consent for " + channel.wire());
        } else if (address == null) {
            decision = Decision.stop(NO_ADDRESS, "no " + channel.wire() + " contact point");
        } else if (purpose == Purpose.TRANSACTIONAL) {
            decision = Decision.send();
        } else {
            Instant quietUntil = quietUntil(contact, now);
            decision = quietUntil != null ? Decision.hold(quietUntil) : capped(recent, channel);
        }
        if (purpose == Purpose.MARKETING && decision.status() != MessageStatus.SUPPRESSED) {
            recent.add(channel);
        }
        return decision;
    }

    /** Marketing messages of one profile that went or will go out in the last day and week, per channel and overall. */
    public static final class Recent {
        private final Map<String, long[]> perChannel = new HashMap<>();
        private long day;
        private long week;

        void count(String channel, long lastDay, long lastWeek) {
            long[] counts = perChannel.computeIfAbsent(channel, c -> new long[2]);
            counts[0] += lastDay;
            counts[1] += lastWeek;
            day += lastDay;
            week += lastWeek;
        }

        void add(Channel channel) {
            count(channel.wire(), 1, 1);
        }

        long[] of(Channel channel) {
            return perChannel.getOrDefault(channel.wire(), new long[2]);
        }
    }

    /** The recent marketing counts of each of {@code profiles}, in one query (every profile gets an entry). */
    public Uni<Map<UUID, Recent>> recent(Collection<UUID> profiles, Instant now) {
        Map<UUID, Recent> recent = new HashMap<>();
        profiles.forEach(p -> recent.put(p, new Recent()));
        if (profiles.isEmpty()) {
            return Uni.createFrom().item(recent);
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(COUNT_RECENT_OF_PROFILES)
                        .setParameter(1, List.copyOf(profiles))
                        .setParameter(2, now.minus(Duration.ofDays(1)))
                        .setParameter(3, now.minus(Duration.ofDays(7)))
                        .getResultList())
                .map(rows -> {
                    for (Object result : rows) {
                        Object[] row = (Object[]) result;
                        recent.get((UUID) row[0]).count((String) row[1], count(row[2]), count(row[3]));
                    }
                    return recent;
                });
    }

    private Decision capped(Recent recent, Channel channel) {
        MessagingConfig.Caps caps = config.caps();
        long[] ofChannel = recent.of(channel);
        if (ofChannel[0] >= caps.perChannelPerDay()) {
            return capped(channel.wire() + " per day", caps.perChannelPerDay());
        }
        if (ofChannel[1] >= caps.perChannelPerWeek()) {
            return capped(channel.wire() + " per week", caps.perChannelPerWeek());
        }
        if (recent.day >= caps.globalPerDay()) {
            return capped("on all channels per day", caps.globalPerDay());
        }
        if (recent.week >= caps.globalPerWeek()) {
            return capped("on all channels per week", caps.globalPerWeek());
        }
        return Decision.send();
    }

    /** When quiet hours end, if {@code now} is inside them in the profile's zone; otherwise null. */
    Instant quietUntil(Contact contact, Instant now) {
        MessagingConfig.QuietHours quiet = config.quietHours();
        if (!quiet.enabled() || quiet.start().equals(quiet.end())) {
            return null;
        }
        ZoneId zone = ZoneId.of(contact != null && contact.timeZone != null ? contact.timeZone
                : config.defaultTimeZone());
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        boolean overnight = quiet.start().isAfter(quiet.end());
        boolean inside = overnight
                ? !time.isBefore(quiet.start()) || time.isBefore(quiet.end())
                : !time.isBefore(quiet.start()) && time.isBefore(quiet.end());
        if (!inside) {
            return null;
        }
        ZonedDateTime end = local.with(quiet.end());
        if (!end.isAfter(local)) {
            end = end.plusDays(1).with(quiet.end());
        }
        return end.toInstant();
    }

    private Uni<Decision> caps(Contact contact, Channel channel, Instant now) {
        MessagingConfig.Caps caps = config.caps();
        return Panache.getSession().chain(session -> session.createNativeQuery(COUNT_RECENT)
                        .setParameter(1, contact.profileId)
                        .setParameter(2, channel.wire())
                        .setParameter(3, now.minus(Duration.ofDays(1)))
                        .setParameter(4, now.minus(Duration.ofDays(7)))
                        .getSingleResult())
                .map(row -> {
                    Object[] counts = (Object[]) row;
                    if (count(counts[0]) >= caps.perChannelPerDay()) {
                        return capped(channel.wire() + " per day", caps.perChannelPerDay());
                    }
                    if (count(counts[1]) >= caps.perChannelPerWeek()) {
                        return capped(channel.wire() + " per week", caps.perChannelPerWeek());
                    }
                    if (count(counts[2]) >= caps.globalPerDay()) {
                        return capped("on all channels per day", caps.globalPerDay());
                    }
                    if (count(counts[3]) >= caps.globalPerWeek()) {
                        return capped("on all channels per week", caps.globalPerWeek());
                    }
                    return Decision.send();
                });
    }

    private static long count(Object value) {
        return ((Number) value).longValue();
    }

    private static Decision capped(String which, int limit) {
        return Decision.stop(FREQUENCY_CAP, "cap of " + limit + " marketing messages " + which + " reached");
    }
}
