package dev.omni.bench.inventory;

import dev.omni.bench.HostCpu;
import dev.omni.bench.HttpLoad;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * (a) A flash sale on one SKU at one store: {@code clients} connections reserving one unit each as fast as the service
 * answers, beside pgbench running the service's own conditional update ({@code StockLedger}: the reservation's
 * {@code UPDATE stock_level ... WHERE on_hand - reserved - committed - safety_stock - damaged >= qty}) with as many
 * clients on a scratch copy of {@code stock_level} in the same database. Then no oversell is checked on both.
 */
final class HotSkuReservations {

    static final String SCRATCH_TABLE = "bench_pgbench_stock_level";

    /** StockLedger's UPDATE for a reservation of :qty, word for word but for the table (pgbench variables as $n). */
    static final String SCRIPT = "UPDATE " + SCRATCH_TABLE + " s SET on_hand = s.on_hand + 0, reserved = s.reserved + :qty, "
            + "committed = s.committed + 0, safety_stock = s.safety_stock + 0, damaged = s.damaged + 0, "
            + "updated_at = now() FROM sku k, location l "
            + "WHERE s.sku = :sku AND s.location_id = :loc AND k.sku = s.sku AND l.id = s.location_id"
            + " AND s.on_hand - s.reserved - s.committed - s.safety_stock - s.damaged >= :qty"
            + " RETURNING s.sku, s.location_id, s.on_hand, s.reserved, s.committed, s.safety_stock, s.damaged, "
            + "s.available, k.product_id, l.fulfils_online;\n";

    /** What was measured and checked. */
    /** {@code omniHost}/{@code pgbenchHost}: the machine's steal and busy share while each ran ({@link HostCpu}). */
    record Outcome(HttpLoad.Result omni, Pgbench.Run pgbench, long stock, long reserved, long onHand, long available,
            long activeReservations, long heldUnits, long pgbenchReserved, long released, String omniHost,
            String pgbenchHost, List<String> failures) {

        long created() {
            return omni.statuses().getOrDefault(201, 0L);
        }

        double createdPerSecond() {
            return created() / (omni.elapsed().toNanos() / 1e9);
        }
    }

    private final Inventory inventory;
    private final Pgbench pgbench;
    private final String storeId;
    private final String runId;

    HotSkuReservations(Inventory inventory, Pgbench pgbench, String storeId, String runId) {
        this.inventory = inventory;
        this.pgbench = pgbench;
        this.storeId = storeId;
        this.runId = runId;
    }

    Outcome run(int clients, Duration duration, Duration warmUp, int stock) {
        String sku = stocked("BENCH-HOT-" + runId, stock);
        String warmSku = stocked("BENCH-HOT-" + runId + "-warm", stock);

        HttpLoad.Result omni;
        String omniHost;
        try (HttpLoad load = new HttpLoad(inventory.base(), clients)) {
            // the same load on another sku first: a service that never reserved parses its queries on first use
            HttpLoad.Result warm = load.closedLoop(n -> reservation(warmSku), clients, warmUp);
            System.err.println("(a) warm-up: " + warm.summary());
            HostCpu before = HostCpu.now();
            omni = load.closedLoop(n -> reservation(sku), clients, duration);
            omniHost = HostCpu.now().since(before);
        }
        System.err.println("(a) omni reservations: " + omni.summary());

        List<String> failures = new ArrayList<>();
        JsonNode after = inventory.stock(sku, storeId);
        long reserved = after.path("reserved").asLong();
        long onHand = after.path("onHand").asLong();
        long available = after.path("available").asLong();
        long[] held = inventory.queryLongs("SELECT count(DISTINCT r.id), COALESCE(sum(l.quantity), 0) FROM reservation r "
                + "JOIN reservation_line l ON l.reservation_id = r.id WHERE l.sku = ? AND r.status = 'ACTIVE'", sku);
        long created = omni.statuses().getOrDefault(201, 0L);
        if (reserved > onHand) {
            failures.add("OVERSOLD: reserved " + reserved + " > on hand " + onHand);
        }
        if (reserved != created) {
            failures.add("reserved " + reserved + " != " + created + " answers 201");
        }
        if (held[0] != created || held[1] != reserved) {
            failures.add("reservation rows " + held[0] + " holding " + held[1] + " units, expected " + created);
        }
        if (available != onHand - reserved) {
            failures.add("available " + available + " != onHand - reserved " + (onHand - reserved));
        }
        if (omni.failures() > 0 || omni.completed() != created) {
            failures.add("not every request was a 201: " + omni.statuses() + ", connection failures "
                    + omni.failures() + (omni.statuses().containsKey(409) ? " (409: stock ran out; raise --hot-stock)" : ""));
        }

        HostCpu beforePgbench = HostCpu.now();
        Pgbench.Run baseline = pgbenchRun(sku, clients, duration, failures);
        String pgbenchHost = HostCpu.now().since(beforePgbench);
        long pgbenchReserved = inventory.queryLongs("SELECT reserved FROM " + SCRATCH_TABLE
                + " WHERE sku = ? AND location_id = ?", sku, storeId)[0];
        if (pgbenchReserved != baseline.processed()) {
            failures.add("pgbench: reserved " + pgbenchReserved + " != " + baseline.processed() + " transactions");
        }
        inventory.execute("DROP TABLE IF EXISTS " + SCRATCH_TABLE);

        long released = release(sku);
        release(warmSku);
        JsonNode cleaned = inventory.stock(sku, storeId);
        if (cleaned.path("reserved").asLong() != 0) {
            failures.add("after releasing every reservation " + cleaned.path("reserved").asLong() + " still reserved");
        }
        return new Outcome(omni, baseline, stock, reserved, onHand, available, held[0], held[1], pgbenchReserved,
                released, omniHost, pgbenchHost, failures);
    }

    private String stocked(String sku, int stock) {
        inventory.createSku(sku, "BENCH-HOT", "one");
        inventory.receive(List.of(Map.of("movementId", "bench-receipt-" + sku, "kind", "RECEIPT", "sku", sku,
                "locationId", storeId, "quantity", stock, "source", "bench")));
        return sku;
    }

    private HttpLoad.Call reservation(String sku) {
        return HttpLoad.Call.postJson("/api/reservations", Inventory.json(Map.of("channel", "web",
                "pickupLocationId", storeId, "lines", List.of(Map.of("sku", sku, "quantity", 1)))));
    }

    /** The same conditional update by pgbench on a scratch copy of stock_level holding the same sku@location. */
    private Pgbench.Run pgbenchRun(String sku, int clients, Duration duration, List<String> failures) {
        inventory.execute("DROP TABLE IF EXISTS " + SCRATCH_TABLE,
                "CREATE TABLE " + SCRATCH_TABLE + " (LIKE stock_level INCLUDING ALL)",
                "INSERT INTO " + SCRATCH_TABLE + " (sku, location_id, on_hand, updated_at) VALUES ('" + sku + "', '"
                        + storeId + "', 2000000000, now())");
        Pgbench.Run run = pgbench.run(SCRIPT, List.of("-c", String.valueOf(clients), "-j", "2", "-T",
                String.valueOf(duration.toSeconds())), Map.of("sku", sku, "loc", storeId, "qty", "1"), false);
        System.err.printf("(a) pgbench: %.0f tps, %d transactions, %d failed%n", run.tps(), run.processed(),
                run.failed());
        if (run.failed() > 0) {
            failures.add("pgbench: " + run.failed() + " failed transactions");
        }
        return run;
    }

    /** Gives the run's units back, so no burst of expiries hits the suite 15 minutes later. */
    private long release(String sku) {
        List<String> ids = new ArrayList<>();
        try (Connection db = inventory.database();
                PreparedStatement active = db.prepareStatement("SELECT DISTINCT r.id FROM reservation r JOIN "
                        + "reservation_line l ON l.reservation_id = r.id WHERE l.sku = ? AND r.status = 'ACTIVE'")) {
            active.setString(1, sku);
            try (ResultSet rows = active.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        int inFlight = 16;
        long started = System.nanoTime();
        List<Inventory.Answer> answers = inventory.postAll(ids.stream()
                .map(id -> new Inventory.Post("/api/reservations/" + id + "/release", Map.of())).toList(), inFlight);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.err.printf("(a) released %,d reservations of %s in %.1f s = %,.0f/s (%d in flight)%n", ids.size(), sku,
                seconds, ids.size() / Math.max(seconds, 1e-9), inFlight);
        return answers.stream().filter(a -> a.status() == 200).count();
    }
}
