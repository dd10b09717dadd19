package dev.omni.messaging.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.contracts.Channel;
import dev.omni.messaging.MessagingConfig;
import io.smallrye.mutiny.Uni;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The HTTP providers: each speaks one public API's request shape over a Quarkus REST client. */
final class HttpProviders {

    private HttpProviders() {
    }

    private abstract static class Base implements ChannelProvider {
        final String name;
        final Channel channel;
        final MessagingConfig.Provider config;

        Base(String name, Channel channel, MessagingConfig.Provider config) {
            this.name = name;
            this.channel = channel;
            this.config = config;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Channel channel() {
            return channel;
        }

        Duration timeout() {
            return config.timeout();
        }

        String required(String what, Optional<String> value) {
            return value.orElseThrow(() -> new IllegalStateException("provider " + name + " needs omni.messaging.providers."
                    + name + "." + what));
        }

        static String text(JsonNode node, String field) {
            JsonNode value = node == null ? null : node.get(field);
            if (value == null || !value.isTextual()) {
                throw new ProviderException("answer without " + field, 0, null);
            }
            return value.asText();
        }
    }

    /** SMS through Twilio's Messages resource; status callbacks come back to our receipt webhook. */
    static final class Twilio extends Base {
        private final TwilioApi api;
        private final URI callback;

        Twilio(String name, MessagingConfig.Provider config, TwilioApi api, URI callback) {
            super(name, Channel.SMS, config);
            this.api = api;
            this.callback = callback;
        }

        @Override
        public String protocol() {
            return "twilio";
        }

        @Override
        public Uni<String> send(Outbound message) {
            String account = required("account", config.account());
            String basic = "Basic " + Base64.getEncoder().encodeToString(
                    (account + ":" + required("token", config.token())).getBytes(StandardCharsets.UTF_8));
            return HttpFailures.guard(name, timeout(), api.create(account, basic, message.recipient(),
                            required("sender", config.sender()), message.text(), callback.toString()))
                    .map(answer -> text(answer, "sid"));
        }
    }

    /** Push through FCM HTTP v1: a notification (title, body) to one registration token. */
    static final class Fcm extends Base {
        private final FcmApi api;

        Fcm(String name, MessagingConfig.Provider config, FcmApi api) {
            super(name, Channel.PUSH, config);
            this.api = api;
        }

        @Override
        public String protocol() {
            return "fcm";
        }

        @Override
        public Uni<String> send(Outbound message) {
            Map<String, Object> notification = new LinkedHashMap<>();
            if (message.subject() != null) {
                notification.put("title", message.subject());
            }
            notification.put("body", message.text());
            Map<String, Object> body = Map.of("message", Map.of(
                    "token", message.recipient(),
                    "notification", notification,
                    "data", Map.of("omniMessageId", message.messageId().toString())));
            return HttpFailures.guard(name, timeout(), api.send(required("account", config.account()),
                            "Bearer " + required("token", config.token()), body))
                    .map(answer -> text(answer, "name"));
        }
    }

    /** Chat through the WhatsApp Cloud API: a text message to a phone number (digits only, no plus). */
    static final class WhatsApp extends Base {
        private final WhatsAppApi api;

        WhatsApp(String name, MessagingConfig.Provider config, WhatsAppApi api) {
            super(name, Channel.CHAT, config);
            this.api = api;
        }

        @Override
        public String protocol() {
            return "whatsapp";
        }

        @Override
        public Uni<String> send(Outbound message) {
            Map<String, Object> body = Map.of(
                    "messaging_product", "whatsapp",
                    "recipient_type", "individual",
                    "to", message.recipient().replace("+", ""),
                    "type", "text",
                    "text", Map.of("preview_url", true, "body", message.text()));
            return HttpFailures.guard(name, timeout(), api.send(required("account", config.account()),
                            "Bearer " + required("token", config.token()), body))
                    .map(answer -> {
                        JsonNode messages = answer == null ? null : answer.get("messages");
                        if (messages == null || !messages.isArray() || messages.isEmpty()) {
                            throw new ProviderException("answer without messages[0].id", 0, null);
                        }
                        return text(messages.get(0), "id");
                    });
        }
    }
}
