package dev.omni.messaging.message;

import java.util.Map;

/**
 * A one-off message: {@code POST /api/messages}.
 *
 * @param purpose   transactional (default: order confirmation, pickup ready) or marketing
 * @param to        optional explicit address (email, E.164 phone, push token); the profile's contact point otherwise
 * @param variables values for {@code data.*} in the template
 */
public record SendRequest(String profileId, String channel, String template, String purpose, String locale, String to,
        Map<String, Object> variables, String campaign) {
}
