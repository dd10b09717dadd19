package dev.omni.profile.ingest;

import dev.omni.contracts.Channel;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One event as a storefront, app, POS or call-centre tool sends it (Segment-like).
 *
 * @param type        track, identify or page
 * @param event       the name of a tracked event, e.g. {@code cart_item_added}; required for track
 * @param identifiers identifier type to value, e.g. {@code {"anonymousId": "a-1", "email": "anna@example.com"}}
 * @param messageId   the sender's id; a repeat within 24 h is accepted and ignored
 * @param value       an order's value; when absent, {@code properties.value}, {@code revenue} or {@code total} as
 *                    Segment's e-commerce spec sends it (likewise {@code currency} and {@code campaign})
 */
public record IncomingEvent(
        @NotNull @Pattern(regexp = "track|identify|page", message = "must be track, identify or page") String type,
        @Size(max = 200) String event,
        @NotNull Channel channel,
        @NotEmpty Map<String, String> identifiers,
        Map<String, Object> traits,
        Map<String, Object> properties,
        BigDecimal value,
        @Size(min = 3, max = 3) String currency,
        @Size(max = 200) String campaign,
        Instant timestamp,
        @Size(max = 200) String messageId) {

    public IncomingEvent {
        if (properties != null) {
            if (value == null) {
                value = decimal(properties.get("value"), properties.get("revenue"), properties.get("total"));
            }
            if (currency == null && properties.get("currency") instanceof String given) {
                currency = given;
            }
            if (campaign == null && properties.get("campaign") instanceof String given) {
                campaign = given;
            }
        }
    }

    private static BigDecimal decimal(Object... candidates) {
        for (Object candidate : candidates) {
            if (candidate instanceof Number number) {
                return new BigDecimal(number.toString());
            }
        }
        return null;
    }

    /** The event name recorded on the timeline: the tracked name, or the type for identify and page. */
    public String name() {
        return event != null && !event.isBlank() ? event : type;
    }
}
