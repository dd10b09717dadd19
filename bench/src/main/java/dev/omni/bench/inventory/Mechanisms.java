package dev.omni.bench.inventory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * (m) The three ways issue #4 names to keep {@code available} from going below zero, each run by pgbench on the same
 * PostgreSQL in the same run, so the service's choice rests on a measurement: one unit per transaction on one hot
 * {@code sku@location} with {@code clients} connections (throughput), then a flash sale of a few units with more
 * attempts than units (no oversell, every unit sold).
 * <ul>
 *   <li>conditional {@code UPDATE … WHERE on_hand - reserved - … >= :qty} (the service's {@code StockLedger});</li>
 *   <li>row lock: {@code SELECT … FOR UPDATE}, the client decides, then {@code UPDATE} (one more round trip under the
 *   lock);</li>
 *   <li>per-unit rows: one row per unit on hand, a reservation claims {@code :qty} free ones with
 *   {@code FOR UPDATE SKIP LOCKED}.</li>
 * </ul>
 * The tables are scratch copies in the service's database ({@code stock_level}'s own shape for the first two), dropped
 * afterwards.
 */
final class Mechanisms {

    static final String LEVELS = "bench_mechanism_stock_level";
    static final String UNITS = "bench_mechanism_stock_unit";

    private static final String FREE = "on_hand - reserved - committed - safety_stock - damaged";

    enum Mechanism {
        CONDITIONAL_UPDATE("conditional UPDATE (chosen)", """
                UPDATE %1$s SET reserved = reserved + :qty, updated_at = now()
                 WHERE sku = :sku AND location_id = :loc AND %2$s >= :qty;
                """.formatted(LEVELS, FREE)),
        ROW_LOCK("row lock, SELECT … FOR UPDATE then UPDATE", """
                BEGIN;
                SELECT %2$s AS free FROM %1$s WHERE sku = :sku AND location_id = :loc FOR UPDATE \\gset
                \\if :free >= :qty
                UPDATE %1$s SET reserved = reserved + :qty, updated_at = now() WHERE sku = :sku AND location_id = :loc;
                \\endif
                COMMIT;
                """.formatted(LEVELS, FREE)),
        UNIT_ROWS("per-unit rows, FOR UPDATE SKIP LOCKED", """
                \\set reservation random(1, 2000000000)
                UPDATE %1$s SET reservation_id = :client_id || '-' || :reservation
                 WHERE (sku, location_id, unit) IN (SELECT sku, location_id, unit FROM %1$s
                        WHERE sku = :sku AND location_id = :loc AND reservation_id IS NULL
                        ORDER BY unit LIMIT :qty FOR UPDATE SKIP LOCKED);
                """.formatted(UNITS));

        final String label;
        final String script;

        Mechanism(String label, String script) {
            this.label = label;
            this.script = script;
        }
    }

    /** Per mechanism: its throughput run, and the units the flash sale sold of {@code flashUnits}. */
    record Outcome(Map<Mechanism, Pgbench.Run> runs, int flashUnits, int flashAttempts, Map<Mechanism, Long> flashSold,
            List<String> failures) {

        double tps(Mechanism mechanism) {
            return runs.get(mechanism).tps();
        }
    }

    private final Inventory inventory;
    private final Pgbench pgbench;
    private final String sku;
    private final String storeId;

    Mechanisms(Inventory inventory, Pgbench pgbench, String runId, String storeId) {
        this.inventory = inventory;
        this.pgbench = pgbench;
        this.sku = "BENCH-MECH-" + runId;
        this.storeId = storeId;
    }

    Outcome run(int clients, Duration duration, int units, int flashUnits, int attemptsPerClient) {
        Map<Mechanism, Pgbench.Run> runs = new LinkedHashMap<>();
        Map<Mechanism, Long> sold = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try {
            for (Mechanism mechanism : Mechanism.values()) {
                stock(units);
                Pgbench.Run run = pgbench.run(mechanism.script, List.of("-c", String.valueOf(clients), "-j", "2",
                        "-T", String.valueOf(duration.toSeconds())), variables(), false);
                long taken = taken(mechanism);
                System.err.printf("(m) %s: %.0f tps, %d transactions, %d units reserved%n", mechanism.label,
                        run.tps(), run.processed(), taken);
                if (run.failed() > 0) {
                    failures.add("(m) " + mechanism.label + ": " + run.failed() + " failed transactions");
                }
                if (taken != run.processed()) {
                    failures.add("(m) " + mechanism.label + ": " + taken + " units reserved by " + run.processed()
                            + " transactions of one unit each" + (taken == units ? " (stock ran out: raise "
                            + "--mechanism-units)" : ""));
                }
                runs.put(mechanism, run);

                stock(flashUnits);
                Pgbench.Run flash = pgbench.run(mechanism.script, List.of("-c", String.valueOf(clients), "-j", "2",
                        "-t", String.valueOf(attemptsPerClient)), variables(), false);
                long flashTaken = taken(mechanism);
                sold.put(mechanism, flashTaken);
                if (flash.failed() > 0 || flashTaken != flashUnits || oversold(mechanism)) {
                    failures.add("(m) flash sale, %s: %d of %d units reserved by %d attempts, %d failed"
                            .formatted(mechanism.label, flashTaken, flashUnits, flash.processed(), flash.failed()));
                }
            }
        } finally {
            inventory.execute("DROP TABLE IF EXISTS " + LEVELS, "DROP TABLE IF EXISTS " + UNITS);
        }
        return new Outcome(runs, flashUnits, clients * attemptsPerClient, sold, failures);
    }

    private Map<String, String> variables() {
        return Map.of("sku", sku, "loc", storeId, "qty", "1");
    }

    /** Fresh tables holding {@code units} on hand of the sku, as one level row and as that many unit rows. */
    private void stock(int units) {
        inventory.execute("DROP TABLE IF EXISTS " + LEVELS, "DROP TABLE IF EXISTS " + UNITS,
                "CREATE TABLE " + LEVELS + " (LIKE stock_level INCLUDING ALL)",
                "INSERT INTO " + LEVELS + " (sku, location_id, on_hand, updated_at) VALUES ('" + sku + "', '"
                        + storeId + "', " + units + ", now())",
                "CREATE TABLE " + UNITS + " (sku text NOT NULL, location_id text NOT NULL, unit integer NOT NULL, "
                        + "reservation_id text, PRIMARY KEY (sku, location_id, unit))",
                "INSERT INTO " + UNITS + " SELECT '" + sku + "', '" + storeId + "', n, NULL "
                        + "FROM generate_series(1, " + units + ") n",
                "CREATE INDEX ON " + UNITS + " (sku, location_id, unit) WHERE reservation_id IS NULL",
                "ANALYZE " + LEVELS, "ANALYZE " + UNITS);
    }

    private long taken(Mechanism mechanism) {
        return mechanism == Mechanism.UNIT_ROWS
                ? inventory.queryLongs("SELECT count(*) FROM " + UNITS + " WHERE reservation_id IS NOT NULL")[0]
                : inventory.queryLongs("SELECT reserved FROM " + LEVELS)[0];
    }

    private boolean oversold(Mechanism mechanism) {
        return mechanism != Mechanism.UNIT_ROWS
                && inventory.queryLongs("SELECT count(*) FROM " + LEVELS + " WHERE available < 0 OR reserved > on_hand")[0] > 0;
    }
}
