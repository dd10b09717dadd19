package dev.omni.gateway.availability;

import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.contracts.availability.ChannelAvailabilityChanged;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's copy of {@code omni.availability}: the latest picture per {@code sku@location} and per
 * {@code sku@channel}, indexed by product. Fed by {@link AvailabilityConsumer}; an update older than what is held
 * is ignored, so redelivered or reordered events never roll a number back.
 */
@ApplicationScoped
@Startup // its gauge is in /q/metrics from the start, not only once the first event arrived
public class AvailabilityCache {

    /** sku → locationId → picture. */
    private final Map<String, Map<String, AvailabilityChanged>> bySku = new ConcurrentHashMap<>();
    private final Map<String, ChannelAvailabilityChanged> byChannel = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> skusByProduct = new ConcurrentHashMap<>();

    public AvailabilityCache(MeterRegistry registry) {
        Gauge.builder("omni.gateway.availability.cached", bySku, Map::size)
                .description("skus whose per-location availability the gateway holds").register(registry);
    }

    public void apply(AvailabilityChanged change) {
        bySku.computeIfAbsent(change.sku(), sku -> new ConcurrentHashMap<>()).merge(change.locationId(), change,
                (held, offered) -> newer(offered.changedAt(), held.changedAt()) ? offered : held);
        index(change.productId(), change.sku());
    }

    public void apply(ChannelAvailabilityChanged change) {
        byChannel.merge(change.sku() + "@" + change.channel(), change,
                (held, offered) -> newer(offered.changedAt(), held.changedAt()) ? offered : held);
        index(change.productId(), change.sku());
    }

    /** Every sku of the product the cache knows, with its channel and per-location availability. */
    public List<SkuAvailability> ofProduct(String productId, String channel) {
        return skusByProduct.getOrDefault(productId, Set.of()).stream().sorted()
                .map(sku -> new SkuAvailability(sku,
                        Optional.ofNullable(byChannel.get(sku + "@" + channel))
                                .map(c -> new ChannelFigure(c.channel(), c.available(), c.changedAt())).orElse(null),
                        bySku.getOrDefault(sku, Map.of()).values().stream()
                                .sorted(Comparator.comparing(AvailabilityChanged::locationId))
                                .map(a -> new LocationFigure(a.locationId(), a.available(), a.changedAt()))
                                .toList()))
                .toList();
    }

    private void index(String productId, String sku) {
        if (productId != null) {
            skusByProduct.computeIfAbsent(productId, id -> ConcurrentHashMap.newKeySet()).add(sku);
        }
    }

    private static boolean newer(Instant offered, Instant held) {
        return held == null || (offered != null && !offered.isBefore(held));
    }

    public record SkuAvailability(String sku, ChannelFigure online, List<LocationFigure> locations) {
    }

    public record ChannelFigure(String channel, int available, Instant changedAt) {
    }

    public record LocationFigure(String locationId, int available, Instant changedAt) {
    }
}
