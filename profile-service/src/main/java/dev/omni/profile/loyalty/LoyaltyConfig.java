package dev.omni.profile.loyalty;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * How orders earn points: {@code floor(value × pointsPerUnit[currency] × channelMultipliers[channel])}, for
 * tracked events named in {@code orderEvents} with a value of at least {@code minimumOrderValue}.
 */
@ConfigMapping(prefix = "omni.loyalty")
public interface LoyaltyConfig {

    /** Tracked events that are orders, from any channel (web checkout, POS sale, call-centre order). */
    @WithDefault("order_completed")
    Set<String> orderEvents();

    /** Points per unit of order value, per currency; an order in a currency not listed earns nothing. */
    Map<String, BigDecimal> pointsPerUnit();

    /** Channels that earn more (or less) than 1×, e.g. {@code store=2} to bring customers to the shops. */
    Map<String, BigDecimal> channelMultipliers();

    /** Currency of an order that names none. */
    @WithDefault("EUR")
    String defaultCurrency();

    @WithDefault("0")
    BigDecimal minimumOrderValue();
}
