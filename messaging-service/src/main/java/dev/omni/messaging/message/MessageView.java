package dev.omni.messaging.message;

import java.time.Instant;
import java.util.UUID;

public record MessageView(UUID id, UUID profileId, String channel, String purpose, String templateId, String locale,
        MessageStatus status, String reason, String detail, String recipient, String subject, String provider,
        String providerMessageId, String journeyId, String stepId, Instant sendAfter, Instant createdAt,
        Instant sentAt, Instant deliveredAt, Instant openedAt, Instant clickedAt) {

    public static MessageView of(Message m) {
        return new MessageView(m.id, m.profileId, m.channel, m.purpose.wire(), m.templateId, m.locale, m.status,
                m.reason, m.detail, m.recipient, m.subject, m.provider, m.providerMessageId, m.journeyId, m.stepId, m.sendAfter,
                m.createdAt, m.sentAt, m.deliveredAt, m.openedAt, m.clickedAt);
    }
}
