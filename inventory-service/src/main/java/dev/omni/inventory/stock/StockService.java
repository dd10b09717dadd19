package dev.omni.inventory.stock;

import dev.omni.inventory.Failures;
import dev.omni.inventory.KnownReferences;
import dev.omni.inventory.availability.AvailabilityPublisher;
import dev.omni.inventory.reservation.Reallocation;
import dev.omni.inventory.reservation.ReservationCoverage;
import dev.omni.inventory.sku.Sku;
import dev.omni.platform.problem.Problems;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** Reads of the stock picture, and the two quantities set by hand: safety stock and damaged units. */
@ApplicationScoped
public class StockService {

    private final StockLedger ledger;
    private final AvailabilityPublisher availability;
    private final ReservationCoverage coverage;
    private final Reallocation reallocation;
    private final KnownReferences references;

    public StockService(StockLedger ledger, AvailabilityPublisher availability, ReservationCoverage coverage,
            Reallocation reallocation, KnownReferences references) {
        this.references = references;
        this.ledger = ledger;
        this.availability = availability;
        this.coverage = coverage;
        this.reallocation = reallocation;
    }

    public record SkuStock(String sku, String productId, int onlineAvailable, List<StockPicture> locations) {
    }

    /** The picture of a known sku at a known location (zeros when nothing was ever moved there); 404 otherwise. */
    public Uni<StockPicture> picture(StockKey key) {
        return Panache.withSession(() -> known(key)
                .chain(() -> ledger.find(key))
                .map(found -> found.orElse(StockPicture.empty(key))));
    }

    public Uni<SkuStock> ofSku(String sku) {
        return Panache.withSession(() -> Sku.<Sku>findById(sku)
                .onItem().ifNull().failWith(() -> Problems.notFound("no sku " + sku))
                .chain(found -> ledger.ofSku(sku).chain(pictures -> ledger.onlineAvailable(sku)
                        .map(online -> new SkuStock(sku, found.productId, online, pictures)))));
    }

    /** Sets safety stock and/or damaged units (absolute values; null leaves one as it is). */
    public Uni<StockPicture> configure(StockKey key, Integer safetyStock, Integer damaged) {
        return Uni.createFrom().deferred(() -> availability.tracked(() -> Panache.withTransaction(() -> known(key)
                        .chain(() -> ledger.lock(key))
                        .chain(current -> ledger.applyAll(List.of(StockChange.settings(key,
                                safetyStock == null ? 0 : safetyStock - current.safetyStock(),
                                damaged == null ? 0 : damaged - current.damaged())))
                                .chain(updates -> coverage.check(updates)
                                        .call(() -> availability.publish(updates))
                                        .map(atRisk -> new Configured(updates.isEmpty() ? current
                                                : updates.get(0).after(), atRisk)))))))
                .onFailure(Failures::isRetryable).retry().atMost(3)
                .call(configured -> reallocation.reallocate(configured.atRisk()))
                .map(Configured::picture);
    }

    private record Configured(StockPicture picture, List<UUID> atRisk) {
    }

    private Uni<Void> known(StockKey key) {
        return references.skus(List.of(key.sku())).invoke(skus -> {
                    if (skus.isEmpty()) {
                        throw Problems.notFound("no sku " + key.sku());
                    }
                })
                .chain(() -> references.locations(List.of(key.locationId()))).invoke(locations -> {
                    if (locations.isEmpty()) {
                        throw Problems.notFound("no location " + key.locationId());
                    }
                })
                .replaceWithVoid();
    }
}
