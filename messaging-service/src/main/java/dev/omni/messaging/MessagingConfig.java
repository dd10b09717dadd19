package dev.omni.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "omni.messaging")
public interface MessagingConfig {

    /** Providers by name; a channel's providers are tried in {@code priority} order. */
    Map<String, Provider> providers();

    QuietHours quietHours();

    Caps caps();

    Tracking tracking();

    /**
     * The short name of {@code tracking.base-url} ({@code OMNI_MESSAGING_PUBLIC_URL} in k8s/); declared so that
     * {@code -Domni.messaging.public-url} is a known key, read through that expression.
     */
    Optional<URI> publicUrl();

    /** The short name of {@code tracking.secret}, declared for the same reason. */
    Optional<String> trackingSecret();

    Dispatch dispatch();

    Journeys journeys();

    /** Time zone of a profile that has none. */
    @WithDefault("UTC")
    String defaultTimeZone();

    /** Locale of a profile that has none; also the last template fallback. */
    @WithDefault("en")
    String defaultLocale();

    interface Provider {
        /** email, sms, push or chat. */
        String channel();

        /** smtp, twilio, fcm or whatsapp: the request shape spoken. */
        String protocol();

        /** Lower is tried first. */
        @WithDefault("1")
        int priority();

        /** Base URL of an HTTP provider; {@code smtp://host:port} for an SMTP server other than quarkus-mailer's. */
        Optional<URI> url();

        /** Twilio account SID, FCM project id or WhatsApp phone-number id; an SMTP provider's login. */
        Optional<String> account();

        /** Twilio auth token or the bearer token of FCM/WhatsApp; an SMTP provider's password. */
        Optional<String> token();

        /** Sender: Twilio {@code From} number; an SMTP provider's {@code From} (default {@code quarkus.mailer.from}). */
        Optional<String> sender();

        /** Secret that signs this provider's delivery webhooks (Twilio auth token, Meta app secret). */
        Optional<String> webhookSecret();

        @WithDefault("5s")
        Duration timeout();

        /** Attempts on this provider before failing over to the next. */
        @WithDefault("3")
        int attempts();

        /** First retry delay; doubles each attempt. */
        @WithDefault("200ms")
        Duration backoff();

        /**
         * An SMTP provider keeps its connections open between messages (pooled). Off: a fresh connection per message,
         * for servers that drop idle connections without a word (a pooled connection they dropped costs an attempt).
         */
        @WithDefault("true")
        boolean keepAlive();
    }

    interface QuietHours {
        @WithDefault("true")
        boolean enabled();

        /** Local time in the profile's zone when marketing messages start being held. */
        @WithDefault("21:00")
        LocalTime start();

        /** Local time when held messages go out. */
        @WithDefault("08:00")
        LocalTime end();
    }

    /** Marketing frequency caps; transactional messages neither count nor are capped. */
    interface Caps {
        @WithDefault("2")
        int perChannelPerDay();

        @WithDefault("6")
        int perChannelPerWeek();

        @WithDefault("4")
        int globalPerDay();

        @WithDefault("12")
        int globalPerWeek();
    }

    interface Tracking {
        /**
         * Public base URL the links and receipt callbacks are built on: this service's own address, or the gateway's
         * host when the service is reached only through it (then set the two paths below to the gateway's routes).
         */
        URI baseUrl();

        /** Path under the base URL where the open pixel ({@code /o/…}) and the click redirect ({@code /c/…}) are. */
        @WithDefault("/t")
        String linksPath();

        /** Path under the base URL where the providers post delivery receipts ({@code /<provider>}). */
        @WithDefault("/api/receipts")
        String receiptsPath();

        /** HMAC key that signs tracking links. */
        String secret();
    }

    interface Dispatch {
        @WithDefault("1s")
        Duration pollInterval();

        /** How long a claimed message may stay in flight before another dispatcher takes it over. */
        @WithDefault("2m")
        Duration lease();

        @WithDefault("100")
        int batchSize();

        /** Messages in flight to the providers at once (all batches and single sends together): the SMTP pool size. */
        @WithDefault("32")
        int sendConcurrency();

        /** Most messages in one {@code POST /api/messages/batch}. */
        @WithDefault("500")
        int maxBatch();
    }

    interface Journeys {
        @WithDefault("1s")
        Duration pollInterval();

        /** Whether the built-in journeys (cart abandonment) are installed at start-up. */
        @WithDefault("true")
        boolean installBuiltIns();

        @WithDefault("5")
        int timerAttempts();
    }
}
