package dev.omni.messaging.message;

import dev.omni.contracts.Channel;

import java.util.Map;
import java.util.UUID;

/**
 * A message to decide on: for whom, on which channel, from which template, with which values.
 *
 * @param to             an explicit recipient (normalised); null to use the profile's contact point
 * @param data           values of a one-off send, {@code data.*} in templates
 * @param event          properties of the triggering event, {@code event.*}
 * @param journey        journey variables, {@code journey.*}
 * @param idempotencyKey a repeat with the same key returns the first message and sends nothing
 */
public record Draft(UUID profileId, Channel channel, Purpose purpose, String templateId, String locale, String to,
        Map<String, Object> data, Map<String, Object> event, Map<String, Object> journey, String idempotencyKey,
        String journeyId, UUID journeyRunId, String stepId, String campaign) {

    public static Draft oneOff(UUID profileId, Channel channel, Purpose purpose, String templateId, String locale,
            String to, Map<String, Object> data, String idempotencyKey, String campaign) {
        return new Draft(profileId, channel, purpose, templateId, locale, to, data, Map.of(), Map.of(),
                idempotencyKey, null, null, null, campaign);
    }
}
