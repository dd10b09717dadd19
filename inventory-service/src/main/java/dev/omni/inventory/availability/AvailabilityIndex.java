package dev.omni.inventory.availability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.inventory.InventoryConfig;
import dev.omni.platform.sql.NativeSql;
import dev.omni.inventory.location.GeoPoint;
import dev.omni.inventory.location.Location;
import dev.omni.inventory.location.OpeningHours;
import dev.omni.inventory.sku.Sku;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static dev.omni.platform.sql.NativeSql.decimal;
import static dev.omni.platform.sql.NativeSql.integer;

/**
 * Availability near me from memory: every location (coordinates, time zone, opening hours, pickup flag), every sku
 * (product, attributes) and the {@code available} of every sku@location, so a search is a scan of the pickup stores
 * in the search's latitude band, no database round trip and no worker thread.
 *
 * <p>Kept fresh from committed changes only, three ways:
 * <ul>
 *   <li>this replica's own transactions: {@link AvailabilityPublisher} notes each new picture in the transaction's
 *   Vert.x context ({@link #tracked}), applied once the transaction committed, so a writer reads its own writes;</li>
 *   <li>every replica's: a consumer of {@code omni.availability} with a group of its own per instance (channel
 *   {@code omni.availability} in a group of its own, from the end of the topic), so each replica sees every change, typically within the
 *   outbox relay's poll interval;</li>
 *   <li>a full reload from PostgreSQL at start and every {@code omni.inventory.index.refresh}: locations and skus
 *   written on another replica (not on Kafka) and anything the consumer missed.</li>
 * </ul>
 * Each sku@location carries the time of its picture ({@code changedAt} of the event, {@code updated_at} of the row),
 * and an older picture never replaces a newer one, whichever way it arrives. Reservations never read the index: they
 * decide on the row in PostgreSQL. Until the first load finished, and for a sku or product it does not know yet, a
 * search falls back to PostgreSQL ({@link AvailabilityService}).
 */
@ApplicationScoped
public class AvailabilityIndex {

    static final String CHANNEL = "omni.availability";
    private static final String PENDING = "omni.inventory.index.pending";
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };

    /** A location as a search needs it. */
    record Store(String id, String name, GeoPoint position, ZoneId zone, OpeningHours hours, boolean pickup,
            long version) {
    }

    record SkuEntry(String sku, String productId, Map<String, String> attributes, long version) {
    }

    private record Level(int available, long version) {
    }

    /** A picture a transaction published, applied when (and only if) it commits. */
    public record Pending(String sku, String locationId, int available, Instant at) {
    }

    private final InventoryConfig config;
    private final NativeSql sql;
    private final Map<String, Store> locations = new ConcurrentHashMap<>();
    private final Map<String, SkuEntry> skus = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Level>> levels = new ConcurrentHashMap<>();
    /** Pickup stores, rebuilt when a location changes; a search scans this array. */
    private volatile Store[] pickupStores = new Store[0];
    /** Skus per product, sorted; rebuilt when a sku changes. */
    private volatile Map<String, List<String>> byProduct = Map.of();
    private volatile boolean ready;
    private final AtomicBoolean loading = new AtomicBoolean();
    private long timer = -1;

    public AvailabilityIndex(InventoryConfig config, NativeSql sql) {
        this.config = config;
        this.sql = sql;
    }

    public boolean ready() {
        return ready;
    }

    void start(@Observes StartupEvent startup, Vertx vertx) {
        if (!config.index().enabled()) {
            return;
        }
        reloadOnContext(vertx);
        timer = vertx.setPeriodic(config.index().refresh().toMillis(), id -> reloadOnContext(vertx));
    }

    void stop(@Observes ShutdownEvent shutdown, Vertx vertx) {
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
    }

    private void reloadOnContext(Vertx vertx) {
        if (!loading.compareAndSet(false, true)) {
            return;
        }
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> Uni.createFrom().deferred(this::reload)
                .onTermination().invoke(() -> loading.set(false))
                .subscribe().with(loaded -> { },
                        failure -> Log.warnf("availability index: reload failed (%s); retrying in %s",
                                failure.getMessage(), config.index().refresh())));
    }

    /** Reads locations, skus and every sku@location from PostgreSQL and merges them (a newer entry is kept). */
    public Uni<Void> reload() {
        return Panache.withSession(() -> sql.rows("SELECT id, name, latitude, longitude, time_zone, "
                        + "opening_hours::text, pickup_enabled, " + micros("updated_at") + " FROM location")
                .invoke(rows -> rows.forEach(row -> location(new Store((String) row[0], (String) row[1],
                        new GeoPoint(decimal(row[2]), decimal(row[3])), zone((String) row[4]),
                        OpeningHours.parse(json((String) row[5])), (Boolean) row[6], ((Number) row[7]).longValue()))))
                .chain(() -> sql.rows("SELECT sku, product_id, attributes::text, " + micros("updated_at")
                        + " FROM sku"))
                .invoke(rows -> rows.forEach(row -> sku(new SkuEntry((String) row[0], (String) row[1],
                        json((String) row[2]), ((Number) row[3]).longValue()))))
                .chain(() -> sql.rows("SELECT sku, location_id, available, " + micros("updated_at")
                        + " FROM stock_level"))
                .invoke(rows -> rows.forEach(row -> level((String) row[0], (String) row[1], integer(row[2]),
                        ((Number) row[3]).longValue())))
                .invoke(() -> {
                    rebuildStores();
                    rebuildProducts();
                    if (!ready) {
                        Log.infof("availability index: %d locations, %d skus, %d stock levels loaded",
                                locations.size(), skus.size(), levels.values().stream().mapToInt(Map::size).sum());
                    }
                    ready = true;
                })
                .replaceWithVoid());
    }

    private static String micros(String column) {
        return "(extract(epoch from " + column + ") * 1000000)::bigint";
    }

    // ---- changes ----------------------------------------------------------------------------------------------------

    /** A record of {@code omni.availability}, from any replica (this one's too). */
    @Incoming(CHANNEL)
    public void onRecord(String value) {
        try {
            CloudEvent<?> event = EventCodec.decode(value);
            if (event.data() instanceof AvailabilityChanged changed) {
                level(changed.sku(), changed.locationId(), changed.available(), micros(changed.changedAt()));
            }
        } catch (RuntimeException e) {
            // not ours to dead-letter: the topic's own consumers do; the next reload repairs the index
            Log.debugf("availability index: record skipped: %s", e.getMessage());
        }
    }

    /**
     * Runs {@code transaction} and, when it committed, applies the pictures {@link AvailabilityPublisher} noted
     * during it; a retried attempt starts with nothing noted, a failed one applies nothing.
     */
    public <T> Uni<T> tracked(Supplier<Uni<T>> transaction) {
        return Uni.createFrom().deferred(() -> {
            if (!VertxContext.isOnDuplicatedContext()) {
                return transaction.get();
            }
            List<Pending> pending = new ArrayList<>();
            ContextLocals.put(PENDING, pending);
            return transaction.get()
                    .invoke(() -> pending.forEach(p -> level(p.sku(), p.locationId(), p.available(), micros(p.at()))))
                    .eventually(() -> ContextLocals.remove(PENDING));
        });
    }

    /** Called in a transaction: notes a picture for {@link #tracked} to apply after commit. */
    void note(Pending picture) {
        if (VertxContext.isOnDuplicatedContext()) {
            ContextLocals.<List<Pending>>get(PENDING).ifPresent(list -> list.add(picture));
        }
    }

    /** A location this replica just committed. */
    public void put(Location location) {
        location(new Store(location.id, location.name, location.position(), zone(location.timeZone),
                location.hours(), location.pickupEnabled, micros(location.updatedAt)));
        rebuildStores();
    }

    /** A sku this replica just committed. */
    public void put(Sku sku) {
        sku(new SkuEntry(sku.sku, sku.productId, Map.copyOf(sku.attributes), micros(sku.updatedAt)));
        rebuildProducts();
    }

    private void location(Store store) {
        locations.merge(store.id(), store, (old, next) -> next.version() >= old.version() ? next : old);
    }

    private void sku(SkuEntry entry) {
        skus.merge(entry.sku(), entry, (old, next) -> next.version() >= old.version() ? next : old);
    }

    private void level(String sku, String locationId, int available, long version) {
        levels.computeIfAbsent(sku, s -> new ConcurrentHashMap<>())
                .merge(locationId, new Level(available, version),
                        (old, next) -> next.version() >= old.version() ? next : old);
    }

    private void rebuildStores() {
        pickupStores = locations.values().stream().filter(Store::pickup)
                .sorted(Comparator.comparingDouble((Store s) -> s.position().latitude())).toArray(Store[]::new);
    }

    private void rebuildProducts() {
        Map<String, TreeSet<String>> products = new HashMap<>();
        skus.values().forEach(s -> products.computeIfAbsent(s.productId(), p -> new TreeSet<>()).add(s.sku()));
        Map<String, List<String>> sorted = new HashMap<>();
        products.forEach((product, set) -> sorted.put(product, List.copyOf(set)));
        byProduct = sorted;
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
    }

    // ---- searches ---------------------------------------------------------------------------------------------------

    /** Empty when the index cannot answer (not loaded yet, or the sku unknown here): ask PostgreSQL. */
    public Optional<AvailabilityService.Nearby> ofSku(String sku, AvailabilityService.Search search) {
        SkuEntry entry = ready ? skus.get(sku) : null;
        if (entry == null) {
            return Optional.empty();
        }
        return Optional.of(new AvailabilityService.Nearby(sku, entry.productId(), search.near(), radius(search),
                stores(List.of(entry), search)));
    }

    public Optional<AvailabilityService.Nearby> ofProduct(String productId, AvailabilityService.Search search) {
        List<String> ids = ready ? byProduct.get(productId) : null;
        if (ids == null || ids.isEmpty()) {
            return Optional.empty();
        }
        List<SkuEntry> entries = new ArrayList<>(ids.size());
        for (String id : ids) {
            SkuEntry entry = skus.get(id);
            if (entry == null) {
                return Optional.empty();
            }
            entries.add(entry);
        }
        return Optional.of(new AvailabilityService.Nearby(null, productId, search.near(), radius(search),
                stores(entries, search)));
    }

    private static Double radius(AvailabilityService.Search search) {
        return search.near() == null ? null : search.radiusKm();
    }

    private record Hit(Store store, double distance, int available, List<AvailabilityService.SkuAvailability> skus) {
    }

    private List<AvailabilityService.StoreAvailability> stores(List<SkuEntry> entries,
            AvailabilityService.Search search) {
        List<Hit> hits = new ArrayList<>();
        if (search.locationId() != null) {
            Store store = locations.get(search.locationId());
            if (store != null && store.pickup()) {
                Double distance = search.near() == null ? null : search.near().distanceKm(store.position());
                if (distance == null || distance <= search.radiusKm()) {
                    hit(hits, store, distance == null ? Double.NaN : distance, entries, search);
                }
            }
        } else {
            GeoPoint.BoundingBox box = search.near().box(search.radiusKm());
            Store[] stores = pickupStores;
            for (int i = firstAtOrAbove(stores, box.minLatitude()); i < stores.length; i++) {
                Store store = stores[i];
                if (store.position().latitude() > box.maxLatitude()) {
                    break;
                }
                double distance = search.near().distanceKm(store.position());
                if (distance <= search.radiusKm()) {
                    hit(hits, store, distance, entries, search);
                }
            }
        }
        hits.sort(Comparator.comparingDouble((Hit h) -> Double.isNaN(h.distance()) ? 0 : h.distance())
                .thenComparing(h -> h.store().id()));
        Instant now = Instant.now();
        List<AvailabilityService.StoreAvailability> answer = new ArrayList<>(Math.min(hits.size(), search.limit()));
        for (Hit hit : hits.subList(0, Math.min(hits.size(), search.limit()))) {
            Store store = hit.store();
            PickupPromise pickup = hit.available() == 0 ? null : PickupPromise.of(store.hours(), store.zone(), now,
                    config.pickup().preparation()).orElse(null);
            answer.add(new AvailabilityService.StoreAvailability(store.id(), store.name(),
                    Double.isNaN(hit.distance()) ? null : Math.round(hit.distance() * 100) / 100.0,
                    store.position().latitude(), store.position().longitude(), hit.available(), pickup, hit.skus()));
        }
        return answer;
    }

    private void hit(List<Hit> hits, Store store, double distance, List<SkuEntry> entries,
            AvailabilityService.Search search) {
        List<AvailabilityService.SkuAvailability> perSku = new ArrayList<>(entries.size());
        int total = 0;
        for (SkuEntry entry : entries) {
            Map<String, Level> atLocations = levels.get(entry.sku());
            Level level = atLocations == null ? null : atLocations.get(store.id());
            int available = level == null ? 0 : level.available();
            total += available;
            perSku.add(new AvailabilityService.SkuAvailability(entry.sku(), available, entry.attributes()));
        }
        if (!search.inStockOnly() || total > 0) {
            hits.add(new Hit(store, distance, total, perSku));
        }
    }

    /** Index of the first store whose latitude is at least {@code latitude} (stores sorted by latitude). */
    private static int firstAtOrAbove(Store[] stores, double latitude) {
        int low = 0;
        int high = stores.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (stores[mid].position().latitude() < latitude) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            return ZoneId.of("UTC");
        }
    }

    private static Map<String, String> json(String text) {
        try {
            return EventCodec.mapper().readValue(text, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON column: " + e.getOriginalMessage(), e);
        }
    }
}
