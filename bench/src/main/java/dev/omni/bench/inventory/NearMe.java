package dev.omni.bench.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.bench.HostCpu;
import dev.omni.bench.HttpLoad;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * (c) "Which stores near me have it?" over a chain of {@code stores} pickup stores spread over a region of about
 * 220 × 270 km (so a 25 km search finds a few dozen), at a fixed rate from random points in the region. Baselines at
 * the same rate in the same run: the service's own SQL for that search run by pgbench (what PostgreSQL alone needs),
 * and the service's trivial {@code /q/health/live} (what the HTTP stack and this load generator alone need).
 */
final class NearMe {

    static final double MIN_LAT = 60.0;
    static final double MAX_LAT = 62.0;
    static final double MIN_LNG = 22.0;
    static final double MAX_LNG = 27.0;
    static final int LIMIT = 20;
    private static final double EARTH_RADIUS_KM = 6371.0088;

    /**
     * AvailabilityService's query for one sku near a point, with the bounding box GeoPoint.box computes written in
     * SQL (pgbench has no cosine); the service then measures distances and sorts in Java.
     */
    static final String SCRIPT = """
            \\set lat 60.3 + random(0, 1400000) / 1000000.0
            \\set lng 22.5 + random(0, 4000000) / 1000000.0
            SELECT l.id, l.name, l.latitude, l.longitude, l.time_zone, l.opening_hours::text, k.sku, k.attributes::text, \
            COALESCE(s.available, 0) FROM location l CROSS JOIN sku k \
            LEFT JOIN stock_level s ON s.location_id = l.id AND s.sku = k.sku \
            WHERE l.pickup_enabled AND k.sku = :sku \
            AND l.latitude BETWEEN :lat - degrees(:radius / 6371.0088) AND :lat + degrees(:radius / 6371.0088) \
            AND l.longitude BETWEEN :lng - degrees(:radius / (6371.0088 * cos(radians(:lat)))) \
            AND :lng + degrees(:radius / (6371.0088 * cos(radians(:lat)))) ORDER BY l.id, k.sku;
            """;

    /**
     * What was measured and checked. {@code floor}: nginx serving one of the service's own answers as a static file at
     * the same rate (null without nginx); the {@code *Host} texts: the machine's steal and busy share during each load.
     */
    record Outcome(HttpLoad.Result omni, HttpLoad.Result health, HttpLoad.Result floor, Pgbench.Run pgbench,
            String omniHost, String healthHost, String floorHost, int storesInRegion, double storesPerSearch,
            int samples, List<String> failures) {
    }

    /** Where nginx serves {@code dir} (the bench's run script starts it), or none. */
    record StaticFloor(URI base, Path dir) {
    }

    private final Inventory inventory;
    private final Pgbench pgbench;
    private final String runId;
    private final StaticFloor floor;

    NearMe(Inventory inventory, Pgbench pgbench, String runId, StaticFloor floor) {
        this.inventory = inventory;
        this.pgbench = pgbench;
        this.runId = runId;
        this.floor = floor;
    }

    static String storeId(int index) {
        return "bench-store-%04d".formatted(index);
    }

    /** The position of store {@code index}: the same in every run, so a store once created is reused. */
    static double[] position(int index) {
        Random random = new Random(1_000_003L * index);
        return new double[] {MIN_LAT + random.nextDouble() * (MAX_LAT - MIN_LAT),
                MIN_LNG + random.nextDouble() * (MAX_LNG - MIN_LNG)};
    }

    /** Creates the stores that do not exist yet (409: there from an earlier run, at the same position). */
    static void seedStores(Inventory inventory, int stores) {
        Map<String, String> hours = new LinkedHashMap<>();
        for (String day : List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")) {
            hours.put(day, "08:00-21:00");
        }
        List<Inventory.Post> posts = new ArrayList<>();
        for (int i = 1; i <= stores; i++) {
            double[] at = position(i);
            posts.add(new Inventory.Post("/api/locations", Map.of("id", storeId(i), "name", "Bench store " + i,
                    "type", "STORE", "latitude", at[0], "longitude", at[1], "timeZone", "Europe/Helsinki",
                    "pickupEnabled", true, "fulfilsOnline", false, "openingHours", hours)));
        }
        List<Inventory.Answer> answers = inventory.postAll(posts, 8);
        long created = answers.stream().filter(a -> a.status() == 201).count();
        List<Inventory.Answer> refused = answers.stream().filter(a -> a.status() != 201 && a.status() != 409).toList();
        if (!refused.isEmpty()) {
            throw new IllegalStateException(refused.size() + " stores refused, e.g. " + refused.get(0));
        }
        System.err.printf("stores: %d created, %d there already%n", created, stores - created);
    }

    Outcome run(int stores, int rate, Duration duration, Duration warmUp, double radiusKm, int samples) {
        String sku = "BENCH-NEAR-" + runId;
        inventory.createSku(sku, "BENCH-NEAR-" + runId, "one");
        List<Map<String, Object>> receipts = new ArrayList<>();
        for (int i = 1; i <= stores; i++) {
            if (i % 5 != 0) { // every fifth store has none: the answer mixes stores with and without stock
                receipts.add(Map.of("movementId", "bench-near-" + runId + "-" + i, "kind", "RECEIPT", "sku", sku,
                        "locationId", storeId(i), "quantity", 1 + i % 9, "source", "bench"));
            }
        }
        inventory.receive(receipts);

        List<String> failures = new ArrayList<>();
        List<Store> region = region(sku);
        double found = 0;
        Random random = new Random(42);
        String body = null;
        for (int i = 0; i < samples; i++) {
            double[] point = point(random);
            List<Store> within = within(region, point, radiusKm);
            found += within.size();
            List<Store> expected = within.subList(0, Math.min(LIMIT, within.size()));
            Inventory.Answer searched = inventory.get(path(sku, point, radiusKm));
            if (body == null || searched.body().length() > body.length()) {
                body = searched.body();
            }
            JsonNode answer = searched.json();
            List<String> ids = new ArrayList<>();
            List<Integer> available = new ArrayList<>();
            answer.path("stores").forEach(s -> {
                ids.add(s.path("locationId").asText());
                available.add(s.path("available").asInt());
            });
            if (!ids.equals(expected.stream().map(Store::id).toList())
                    || !available.equals(expected.stream().map(Store::available).toList())) {
                failures.add("near " + point[0] + "," + point[1] + ": answered " + ids + " " + available
                        + ", expected " + expected.stream().map(Store::id).toList() + " "
                        + expected.stream().map(Store::available).toList());
            }
        }

        Measured omni;
        Measured health;
        try (HttpLoad load = new HttpLoad(inventory.base(), 64)) {
            HttpLoad.Result warm = load.fixedRate(n -> HttpLoad.Call.get(path(sku, point(new Random(-n)), radiusKm)),
                    rate, warmUp);
            System.err.println("(c) warm-up: " + warm.summary());
            omni = Measured.of("omni near me", load,
                    n -> HttpLoad.Call.get(path(sku, point(new Random(n)), radiusKm)), rate, duration);
            health = Measured.of("/q/health/live", load, n -> HttpLoad.Call.get("/q/health/live"), rate, duration);
        }
        Measured nginx = floor == null || body == null ? null : staticFloor(body, rate, duration, warmUp);
        if (nginx != null && nginx.result().ok() != nginx.result().completed()) {
            failures.add("nginx did not answer every request 200: " + nginx.result().statuses());
        }
        if (omni.result().ok() != omni.result().completed() || omni.result().failures() > 0) {
            failures.add("not every search answered 200: " + omni.result().statuses() + ", connection failures "
                    + omni.result().failures());
        }
        Pgbench.Run baseline = pgbench.run(SCRIPT, List.of("-c", "16", "-j", "2", "-R", String.valueOf(rate),
                "-T", String.valueOf(duration.toSeconds())), Map.of("sku", sku, "radius", String.valueOf(radiusKm)),
                true);
        System.err.printf(Locale.ROOT, "(c) pgbench -R %d: %.0f tps, p50 %.2f ms, p99 %.2f ms%n", rate, baseline.tps(),
                baseline.millis(50), baseline.millis(99));
        if (baseline.failed() > 0) {
            failures.add("pgbench: " + baseline.failed() + " failed transactions");
        }
        return new Outcome(omni.result(), health.result(), nginx == null ? null : nginx.result(), baseline,
                omni.host(), health.host(), nginx == null ? null : nginx.host(), region.size(),
                samples == 0 ? 0 : found / samples, samples, failures);
    }

    /** One measured load and what the machine did meanwhile. */
    private record Measured(HttpLoad.Result result, String host) {
        static Measured of(String what, HttpLoad load, LongFunction<HttpLoad.Call> calls, int rate, Duration duration) {
            HostCpu before = HostCpu.now();
            HttpLoad.Result result = load.fixedRate(calls, rate, duration);
            String host = HostCpu.now().since(before);
            System.err.println("(c) " + what + ": " + result.summary() + "; host " + host);
            return new Measured(result, host);
        }
    }

    /** nginx serving the largest sample answer as a file: what any server costs on this machine at that moment. */
    private Measured staticFloor(String body, int rate, Duration duration, Duration warmUp) {
        try {
            Files.createDirectories(floor.dir());
            Files.writeString(floor.dir().resolve("near.json"), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (HttpLoad load = new HttpLoad(floor.base(), 64)) {
            load.fixedRate(n -> HttpLoad.Call.get("/near.json"), rate, warmUp);
            return Measured.of("nginx, the same bytes as a file", load, n -> HttpLoad.Call.get("/near.json"), rate,
                    duration);
        }
    }

    private static double[] point(Random random) {
        // inside the region with a margin, as pgbench's script draws them
        return new double[] {60.3 + random.nextInt(1_400_001) / 1e6, 22.5 + random.nextInt(4_000_001) / 1e6};
    }

    private static String path(String sku, double[] point, double radiusKm) {
        return String.format(Locale.ROOT, "/api/availability?sku=%s&near=%.6f,%.6f&radiusKm=%s", sku, point[0],
                point[1], radiusKm);
    }

    private record Store(String id, double latitude, double longitude, int available, double distanceKm) {
    }

    /** Every pickup location in the region with the sku's available quantity, straight from the database. */
    private List<Store> region(String sku) {
        List<Store> stores = new ArrayList<>();
        try (Connection db = inventory.database();
                PreparedStatement query = db.prepareStatement("SELECT l.id, l.latitude, l.longitude, "
                        + "COALESCE(s.available, 0) FROM location l LEFT JOIN stock_level s ON s.location_id = l.id "
                        + "AND s.sku = ? WHERE l.pickup_enabled AND l.latitude BETWEEN ? AND ? "
                        + "AND l.longitude BETWEEN ? AND ?")) {
            query.setString(1, sku);
            query.setDouble(2, MIN_LAT - 1);
            query.setDouble(3, MAX_LAT + 1);
            query.setDouble(4, MIN_LNG - 2);
            query.setDouble(5, MAX_LNG + 2);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stores.add(new Store(rows.getString(1), rows.getDouble(2), rows.getDouble(3), rows.getInt(4), 0));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return stores;
    }

    /** Every store within the radius, nearest first (distance to 10 m, then id): a correct answer is its head. */
    private static List<Store> within(List<Store> region, double[] point, double radiusKm) {
        return region.stream()
                .map(s -> new Store(s.id(), s.latitude(), s.longitude(), s.available(),
                        haversineKm(point[0], point[1], s.latitude(), s.longitude())))
                .filter(s -> s.distanceKm() <= radiusKm)
                .sorted(Comparator.comparingDouble((Store s) -> Math.round(s.distanceKm() * 100) / 100.0)
                        .thenComparing(Store::id))
                .toList();
    }

    private static double haversineKm(double lat1, double lng1, double lat2, double lng2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLng = Math.toRadians(lng2 - lng1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLng / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
