package dev.omni.profile.support;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The bodies and answers of the support timeline API. */
public final class SupportRequests {

    static final String CHANNEL = "web|app|store|pos|call_centre|email|sms|push|chat|social|ad";
    static final String CHANNEL_MESSAGE = "a channel: web, app, store, pos, call_centre, email, sms, push, chat, social, ad";
    static final String STATUS = "open|pending|resolved";
    static final String STATUS_MESSAGE = "open, pending or resolved";

    private SupportRequests() {
    }

    /** A new contact: where the customer reached us, about what, and what was said. */
    public record Open(
            @NotNull @Pattern(regexp = CHANNEL, message = CHANNEL_MESSAGE) String channel,
            @NotBlank @Size(max = 200) String topic,
            @Pattern(regexp = STATUS, message = STATUS_MESSAGE) String status,
            @Size(max = 4000) String note,
            @Size(max = 200) String agent) {
    }

    /** A follow-up: a new status, a note, or both; {@code channel} is where the follow-up happened. */
    public record FollowUp(
            @Pattern(regexp = CHANNEL, message = CHANNEL_MESSAGE) String channel,
            @Pattern(regexp = STATUS, message = STATUS_MESSAGE) String status,
            @Size(max = 4000) String note,
            @Size(max = 200) String agent) {
    }

    public record ContactView(UUID id, UUID profileId, String channel, String topic, String status,
            List<SupportContact.Note> notes, Instant openedAt, Instant updatedAt) {
        static ContactView of(SupportContact c) {
            return new ContactView(c.id, c.profileId, c.channel, c.topic, c.status, c.conversation.notes(), c.openedAt,
                    c.updatedAt);
        }
    }
}
