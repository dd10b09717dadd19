package dev.omni.attribution.kpi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Omnichannel KPIs of a population (everyone, a segment, or one profile) over {@code [from, to)}.
 *
 * @param population {@code all}, {@code segment:<id>} or {@code profile:<id>}
 */
public record KpiReport(Instant from, Instant to, String population, CrossChannel crossChannel,
        VisitFrequency visitFrequency, LifetimeValue lifetimeValue, Roas roas) {

    /**
     * @param multiChannelShare          share of conversions whose journey spans two channels or more
     * @param multiChannelConversionRate conversions / journeys among journeys spanning two channels or more
     */
    public record CrossChannel(long conversions, long multiChannelConversions, double multiChannelShare,
            long multiChannelJourneys, double multiChannelConversionRate, long singleChannelJourneys,
            double singleChannelConversionRate) {
    }

    /** Visits are web and app sessions and store visits (a till sale is one); see the README for the rule. */
    public record VisitFrequency(long profiles, long visits, double visitsPerProfile, double visitsPerProfilePerWeek,
            List<ChannelVisits> byChannel) {
    }

    public record ChannelVisits(String channel, long profiles, long visits, double visitsPerProfile) {
    }

    /**
     * @param historicPerCustomer  revenue / customers over the range
     * @param predictedPerCustomer averageOrderValue × ordersPerCustomerPerYear × expectedLifespanYears
     */
    public record LifetimeValue(long customers, long orders, BigDecimal revenue, double historicPerCustomer,
            double averageOrderValue, double ordersPerCustomerPerYear, double repeatRate,
            double expectedLifespanYears, double predictedPerCustomer, String method) {
    }

    /** Return on ad spend per key with a known cost: attributed value (by {@code model}) / cost. */
    public record Roas(String model, String dimension, List<KeyRoas> keys) {
    }

    public record KeyRoas(String key, BigDecimal cost, double attributedValue, double roas) {
    }
}
