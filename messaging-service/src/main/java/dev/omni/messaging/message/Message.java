package dev.omni.messaging.message;

import dev.omni.contracts.Channel;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One message to one profile on one channel: the guard decision, what was rendered, and what became of it. */
@Entity
@Table(name = "message")
public class Message extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    /** Wire name: email, sms, push, chat. */
    @Column(nullable = false)
    public String channel;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Purpose purpose;

    @Column(name = "template_id", nullable = false)
    public String templateId;

    public String locale;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public MessageStatus status;

    /** Why it was suppressed, held or failed: consent, no_address, quiet_hours, frequency_cap, provider, ... */
    public String reason;

    public String detail;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    public String recipient;

    public String subject;

    @Column(name = "body_text")
    public String text;

    @Column(name = "body_html")
    public String html;

    public String provider;

    @Column(name = "provider_message_id")
    public String providerMessageId;

    @Column(name = "journey_id")
    public String journeyId;

    @Column(name = "journey_run_id")
    public UUID journeyRunId;

    @Column(name = "step_id")
    public String stepId;

    public String campaign;

    @Column(name = "send_after")
    public Instant sendAfter;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    @Column(name = "opened_at")
    public Instant openedAt;

    @Column(name = "clicked_at")
    public Instant clickedAt;

    public Channel channel() {
        return Channel.fromWire(channel);
    }
}
