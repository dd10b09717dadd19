package dev.omni.contracts.message;

import dev.omni.contracts.Channel;

import java.time.Instant;

/**
 * One step of a message's life; the event type carries the status (queued, sent, delivered, opened, clicked,
 * failed, suppressed). Attribution reads opens and clicks as touchpoints.
 *
 * @param reason why a message was suppressed or failed (consent, quiet_hours, frequency_cap, duplicate, provider)
 * @param url    the clicked link, for clicks
 */
public record MessageStatusChanged(String messageId, String profileId, Channel channel, String templateId,
        String journeyId, String campaign, String provider, String reason, String url, Instant at) {
}
