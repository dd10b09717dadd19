package dev.omni.profile.loyalty;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/** Spending points: the request and its answer. */
public final class Redemption {

    private Redemption() {
    }

    /** @param reference the caller's, e.g. the order the points paid for */
    public record Request(
            @NotNull @Min(1) @Max(10_000_000) Long points,
            @Size(max = 200) String reference,
            @NotNull @Pattern(regexp = "web|app|store|pos|call_centre|email|sms|push|chat|social|ad",
                    message = "a channel: web, app, store, pos, call_centre, email, sms, push, chat, social, ad") String channel) {
    }

    public record Result(UUID entryId, UUID profileId, long points, long balance) {
    }
}
