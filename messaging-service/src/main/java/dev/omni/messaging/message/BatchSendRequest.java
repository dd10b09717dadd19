package dev.omni.messaging.message;

import java.util.List;
import java.util.Map;

/**
 * Many one-off messages at once: {@code POST /api/messages/batch}. Each carries its own idempotency key (the
 * {@code Idempotency-Key} header of a single send).
 */
public record BatchSendRequest(List<Item> messages) {

    public record Item(String idempotencyKey, String profileId, String channel, String template, String purpose,
            String locale, String to, Map<String, Object> variables, String campaign) {

        SendRequest request() {
            return new SendRequest(profileId, channel, template, purpose, locale, to, variables, campaign);
        }
    }
}
