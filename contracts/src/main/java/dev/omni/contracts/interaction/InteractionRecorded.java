package dev.omni.contracts.interaction;

import dev.omni.contracts.Channel;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One customer interaction from any channel, after identity resolution. Conversions (orders) carry a
 * {@code value}.
 *
 * @param kind      {@code track}, {@code identify} or {@code page}
 * @param event     the event name, e.g. {@code product_viewed}, {@code cart_item_added}, {@code order_completed},
 *                  {@code store_visited}, {@code support_contacted}, {@code ad_clicked}
 * @param messageId the producer's id of the raw event, used to drop repeats
 * @param campaign  the campaign the touchpoint belongs to, when known (UTM campaign, message journey)
 */
public record InteractionRecorded(
        String profileId,
        String messageId,
        String kind,
        String event,
        Channel channel,
        Instant occurredAt,
        Map<String, Object> properties,
        BigDecimal value,
        String currency,
        String campaign) {
}
