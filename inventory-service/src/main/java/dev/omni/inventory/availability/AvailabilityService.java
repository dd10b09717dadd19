package dev.omni.inventory.availability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.omni.contracts.EventCodec;
import dev.omni.inventory.InventoryConfig;
import dev.omni.platform.sql.NativeSql;
import dev.omni.inventory.location.GeoPoint;
import dev.omni.inventory.location.OpeningHours;
import dev.omni.inventory.sku.Sku;
import dev.omni.platform.problem.Problems;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.omni.platform.sql.NativeSql.decimal;
import static dev.omni.platform.sql.NativeSql.integer;

/** "Is it at a store near me, and when can I collect it?" for one sku, or for every size of a product. */
@ApplicationScoped
public class AvailabilityService {

    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };

    private static final String STORES = "SELECT l.id, l.name, l.latitude, l.longitude, l.time_zone, "
            + "l.opening_hours::text, k.sku, k.attributes::text, COALESCE(s.available, 0) "
            + "FROM location l CROSS JOIN sku k "
            + "LEFT JOIN stock_level s ON s.location_id = l.id AND s.sku = k.sku "
            + "WHERE l.pickup_enabled AND %s";

    private final InventoryConfig config;
    private final NativeSql sql;
    private final AvailabilityIndex index;

    public AvailabilityService(InventoryConfig config, NativeSql sql, AvailabilityIndex index) {
        this.index = index;
        this.config = config;
        this.sql = sql;
    }

    /** Where to search: around a point, or at one store. */
    public record Search(GeoPoint near, double radiusKm, String locationId, boolean inStockOnly, int limit) {
    }

    public record SkuAvailability(String sku, int available, Map<String, String> attributes) {
    }

    /**
     * @param distanceKm from the search point, null when the search named a store
     * @param available  of the searched sku, or summed over the product's skus
     * @param pickup     null when nothing is available
     */
    public record StoreAvailability(String locationId, String name, Double distanceKm, double latitude,
            double longitude, int available, PickupPromise pickup, List<SkuAvailability> skus) {
    }

    public record Nearby(String sku, String productId, GeoPoint near, Double radiusKm, List<StoreAvailability> stores) {
    }

    /** From the in-memory index when it knows the sku, else (not loaded yet, a sku just created elsewhere) from PostgreSQL. */
    public Uni<Nearby> ofSku(String sku, Search search) {
        Optional<Nearby> indexed = index.ofSku(sku, search);
        return indexed.isPresent() ? Uni.createFrom().item(indexed.get()) : ofSkuFromDatabase(sku, search);
    }

    public Uni<Nearby> ofSkuFromDatabase(String sku, Search search) {
        return Panache.withSession(() -> Sku.<Sku>findById(sku)
                .onItem().ifNull().failWith(() -> Problems.notFound("no sku " + sku))
                .chain(found -> stores("k.sku = ?1", sku, search)
                        .map(stores -> new Nearby(sku, found.productId, search.near(), radius(search), stores))));
    }

    public Uni<Nearby> ofProduct(String productId, Search search) {
        Optional<Nearby> indexed = index.ofProduct(productId, search);
        return indexed.isPresent() ? Uni.createFrom().item(indexed.get()) : ofProductFromDatabase(productId, search);
    }

    public Uni<Nearby> ofProductFromDatabase(String productId, Search search) {
        return Panache.withSession(() -> Sku.count("productId", productId)
                .invoke(count -> {
                    if (count == 0) {
                        throw Problems.notFound("no product " + productId);
                    }
                })
                .chain(() -> stores("k.product_id = ?1", productId, search))
                .map(stores -> new Nearby(null, productId, search.near(), radius(search), stores)));
    }

    private static Double radius(Search search) {
        return search.near() == null ? null : search.radiusKm();
    }

    private Uni<List<StoreAvailability>> stores(String skuFilter, String skuValue, Search search) {
        List<Object> parameters = new ArrayList<>(List.of(skuValue));
        StringBuilder where = new StringBuilder(skuFilter);
        if (search.locationId() != null) {
            parameters.add(search.locationId());
            where.append(" AND l.id = ?").append(parameters.size());
        }
        if (search.near() != null) {
            GeoPoint.BoundingBox box = search.near().box(search.radiusKm());
            parameters.add(box.minLatitude());
            parameters.add(box.maxLatitude());
            where.append(" AND l.latitude BETWEEN ?").append(parameters.size() - 1).append(" AND ?")
                    .append(parameters.size());
            if (!box.wraps()) {
                parameters.add(box.minLongitude());
                parameters.add(box.maxLongitude());
                where.append(" AND l.longitude BETWEEN ?").append(parameters.size() - 1).append(" AND ?")
                        .append(parameters.size());
            }
        }
        Instant now = Instant.now();
        return sql.rows(STORES.formatted(where) + " ORDER BY l.id, k.sku", parameters.toArray())
                .map(rows -> assemble(rows, search, now));
    }

    private List<StoreAvailability> assemble(List<Object[]> rows, Search search, Instant now) {
        Map<String, List<Object[]>> byStore = new LinkedHashMap<>();
        rows.forEach(row -> byStore.computeIfAbsent((String) row[0], id -> new ArrayList<>()).add(row));
        List<StoreAvailability> stores = new ArrayList<>();
        for (List<Object[]> storeRows : byStore.values()) {
            Object[] first = storeRows.get(0);
            GeoPoint position = new GeoPoint(decimal(first[2]), decimal(first[3]));
            Double distance = search.near() == null ? null : search.near().distanceKm(position);
            if (distance != null && distance > search.radiusKm()) {
                continue;
            }
            List<SkuAvailability> skus = storeRows.stream()
                    .map(row -> new SkuAvailability((String) row[6], integer(row[8]), json((String) row[7])))
                    .toList();
            int available = skus.stream().mapToInt(SkuAvailability::available).sum();
            if (search.inStockOnly() && available == 0) {
                continue;
            }
            PickupPromise pickup = available == 0 ? null : PickupPromise.of(OpeningHours.parse(json((String) first[5])),
                    ZoneId.of((String) first[4]), now, config.pickup().preparation()).orElse(null);
            stores.add(new StoreAvailability((String) first[0], (String) first[1],
                    distance == null ? null : Math.round(distance * 100) / 100.0, position.latitude(),
                    position.longitude(), available, pickup, skus));
        }
        stores.sort(Comparator.comparing((StoreAvailability s) -> s.distanceKm() == null ? 0 : s.distanceKm())
                .thenComparing(StoreAvailability::locationId));
        return stores.size() > search.limit() ? stores.subList(0, search.limit()) : stores;
    }

    private static Map<String, String> json(String text) {
        try {
            return EventCodec.mapper().readValue(text, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON column: " + e.getOriginalMessage(), e);
        }
    }

    /** Online availability: summed over the locations that fulfil online orders, per sku of a product or one sku. */
    public Uni<List<SkuAvailability>> online(String skuFilter, String value) {
        return Panache.withSession(() -> sql.rows("SELECT k.sku, k.attributes::text, COALESCE(SUM(s.available), 0) "
                        + "FROM sku k LEFT JOIN stock_level s ON s.sku = k.sku AND s.location_id IN "
                        + "(SELECT id FROM location WHERE fulfils_online) WHERE " + skuFilter
                        + " GROUP BY k.sku, k.attributes::text ORDER BY k.sku", value))
                .map(rows -> rows.stream()
                        .map(row -> new SkuAvailability((String) row[0], integer(row[2]), json((String) row[1])))
                        .toList());
    }
}
