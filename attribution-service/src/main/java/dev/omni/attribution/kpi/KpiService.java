package dev.omni.attribution.kpi;

import dev.omni.attribution.AttributionConfig;
import dev.omni.attribution.journey.Journey;
import dev.omni.attribution.journey.JourneySnapshot;
import dev.omni.attribution.profile.ProfileDirectory;
import dev.omni.attribution.report.Credit;
import dev.omni.attribution.report.CreditReport;
import dev.omni.attribution.report.ModelName;
import dev.omni.attribution.report.ReportRequest;
import dev.omni.attribution.report.ReportService;
import dev.omni.attribution.touchpoint.ConversionView;
import dev.omni.attribution.touchpoint.TouchpointView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Cross-channel conversion, visit frequency, customer lifetime value and ROAS, from the same journeys as reports. */
@ApplicationScoped
public class KpiService {

    /** Channels a customer visits: web and app sessions, stores (a till sale is a store visit). */
    static final Map<String, String> VISIT_CHANNELS = Map.of("web", "web", "app", "app", "store", "store",
            "pos", "store");
    static final String CLV_METHOD = "average order value × orders per customer per year × expected lifespan;"
            + " lifespan = 1 / (1 − repeat rate), capped; repeat rate = share of customers with two or more orders"
            + " in the range; no margin, no discounting";
    private static final double DAYS_PER_YEAR = 365.25;

    private final ReportService reports;
    private final ProfileDirectory directory;
    private final AttributionConfig config;

    public KpiService(ReportService reports, ProfileDirectory directory, AttributionConfig config) {
        this.reports = reports;
        this.directory = directory;
        this.config = config;
    }

    /**
     * @param segmentId only the segment's current members, when given
     * @param profileId only this profile (and those merged into it), when given
     */
    public Uni<KpiReport> kpis(ReportRequest request, ModelName roasModel, String segmentId, String profileId) {
        Uni<Set<String>> members = segmentId == null ? Uni.createFrom().nullItem()
                : directory.segmentMembers(segmentId);
        return members.chain(segment -> reports.snapshot(request).map(all -> {
            String population = "all";
            JourneySnapshot snapshot = all;
            if (profileId != null) {
                population = "profile:" + profileId;
                snapshot = snapshot.restrictedTo(Set.of(all.aliases().resolve(profileId)));
            }
            if (segment != null) {
                population = profileId == null ? "segment:" + segmentId : population + ",segment:" + segmentId;
                snapshot = snapshot.restrictedTo(segment.stream().map(all.aliases()::resolve)
                        .collect(Collectors.toSet()));
            }
            return new KpiReport(request.window().from(), request.window().to(), population,
                    crossChannel(snapshot.journeys()), visitFrequency(snapshot), lifetimeValue(snapshot),
                    roas(reports.credit(request, roasModel, snapshot)));
        }));
    }

    static KpiReport.CrossChannel crossChannel(List<Journey> journeys) {
        long conversions = 0;
        long multiConversions = 0;
        long multiJourneys = 0;
        long singleJourneys = 0;
        long singleConversions = 0;
        for (Journey journey : journeys) {
            long channels = journey.touches().stream().map(TouchpointView::channel).distinct().count();
            boolean multi = channels >= 2;
            if (journey.converted()) {
                conversions++;
            }
            if (multi) {
                multiJourneys++;
                multiConversions += journey.converted() ? 1 : 0;
            } else if (channels == 1) {
                singleJourneys++;
                singleConversions += journey.converted() ? 1 : 0;
            }
        }
        return new KpiReport.CrossChannel(conversions, multiConversions, ratio(multiConversions, conversions),
                multiJourneys, ratio(multiConversions, multiJourneys), singleJourneys,
                ratio(singleConversions, singleJourneys));
    }

    KpiReport.VisitFrequency visitFrequency(JourneySnapshot snapshot) {
        // per visit channel, per profile: touch times, oldest first
        Map<String, Map<String, List<Instant>>> times = new TreeMap<>();
        for (TouchpointView touch : snapshot.touchpointsInWindow()) {
            String channel = VISIT_CHANNELS.get(touch.channel());
            if (channel != null) {
                times.computeIfAbsent(channel, c -> new HashMap<>())
                        .computeIfAbsent(snapshot.aliases().resolve(touch.profileId()), p -> new ArrayList<>())
                        .add(touch.occurredAt());
            }
        }
        Duration gap = config.sessionGap();
        Set<String> visitors = new HashSet<>();
        long visits = 0;
        List<KpiReport.ChannelVisits> byChannel = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Instant>>> channel : times.entrySet()) {
            long channelVisits = 0;
            for (Map.Entry<String, List<Instant>> profile : channel.getValue().entrySet()) {
                List<Instant> at = profile.getValue();
                at.sort(Comparator.naturalOrder());
                channelVisits++;
                for (int i = 1; i < at.size(); i++) {
                    if (Duration.between(at.get(i - 1), at.get(i)).compareTo(gap) > 0) {
                        channelVisits++;
                    }
                }
                visitors.add(profile.getKey());
            }
            visits += channelVisits;
            byChannel.add(new KpiReport.ChannelVisits(channel.getKey(), channel.getValue().size(), channelVisits,
                    ratio(channelVisits, channel.getValue().size())));
        }
        double weeks = Duration.between(snapshot.window().from(), snapshot.window().to()).toMillis()
                / (7 * 86_400_000.0);
        double perProfile = ratio(visits, visitors.size());
        return new KpiReport.VisitFrequency(visitors.size(), visits, perProfile, round(perProfile / weeks),
                byChannel);
    }

    KpiReport.LifetimeValue lifetimeValue(JourneySnapshot snapshot) {
        Map<String, Integer> ordersByCustomer = new HashMap<>();
        BigDecimal revenue = BigDecimal.ZERO;
        long orders = 0;
        for (ConversionView conversion : snapshot.conversionsInWindow()) {
            ordersByCustomer.merge(snapshot.aliases().resolve(conversion.profileId()), 1, Integer::sum);
            revenue = revenue.add(conversion.value());
            orders++;
        }
        long customers = ordersByCustomer.size();
        long repeaters = ordersByCustomer.values().stream().filter(n -> n >= 2).count();
        double years = Duration.between(snapshot.window().from(), snapshot.window().to()).toMillis()
                / (DAYS_PER_YEAR * 86_400_000.0);
        double averageOrderValue = orders == 0 ? 0 : revenue.doubleValue() / orders;
        double frequency = customers == 0 ? 0 : orders / (double) customers / years;
        double repeatRate = ratio(repeaters, customers);
        double lifespan = repeatRate >= 1 ? config.clvMaxLifespanYears()
                : Math.min(config.clvMaxLifespanYears(), 1 / (1 - repeatRate));
        return new KpiReport.LifetimeValue(customers, orders, revenue.setScale(2, RoundingMode.HALF_EVEN),
                customers == 0 ? 0 : round(revenue.doubleValue() / customers), round(averageOrderValue),
                round(frequency), repeatRate, customers == 0 ? 0 : round(lifespan),
                round(averageOrderValue * frequency * (customers == 0 ? 0 : lifespan)), CLV_METHOD);
    }

    static KpiReport.Roas roas(CreditReport credit) {
        List<KpiReport.KeyRoas> keys = new ArrayList<>();
        for (Credit key : credit.credits()) {
            if (key.roas() != null) {
                keys.add(new KpiReport.KeyRoas(key.key(), key.cost(), key.value(), key.roas()));
            }
        }
        return new KpiReport.Roas(credit.model(), credit.dimension(), keys);
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : round((double) part / whole);
    }

    private static double round(double value) {
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
    }
}
