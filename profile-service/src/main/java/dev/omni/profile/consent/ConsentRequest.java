package dev.omni.profile.consent;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;

/**
 * A consent decision as a channel reports it.
 *
 * @param changedAt when the customer decided (a paper form signed in store last week); now when absent
 */
public record ConsentRequest(
        @NotNull @Pattern(regexp = ConsentRequest.CHANNELS, message = "one of email, sms, push, rcs, whatsapp, advertising") String channel,
        @NotNull @Pattern(regexp = "marketing|transactional", message = "marketing or transactional") String purpose,
        @NotNull @Pattern(regexp = "granted|denied|revoked", message = "granted, denied or revoked") String status,
        @NotNull @Pattern(regexp = SOURCE_CHANNELS, message = "a channel: web, app, store, pos, call_centre, email, sms, push, chat, social, ad") String sourceChannel,
        @Size(max = 2000) String proof,
        @PastOrPresent Instant changedAt) {

    static final String CHANNELS = "email|sms|push|rcs|whatsapp|advertising";
    static final String SOURCE_CHANNELS = "web|app|store|pos|call_centre|email|sms|push|chat|social|ad";
}
