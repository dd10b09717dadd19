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
import java.util.Map;
import java.util.Set;

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
                .map(consents -> purpose == Purpose.MARKETING
                        ? consents.stream().anyMatch(c -> Consent.GRANTED.equals(c.status))
                        : consents.stream().allMatch(c -> Consent.GRANTED.equals(c.status)));
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
