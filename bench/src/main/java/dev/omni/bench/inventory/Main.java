package dev.omni.bench.inventory;

import dev.omni.bench.Args;
import dev.omni.bench.HttpLoad;
import dev.omni.bench.Report;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code bench/inventory/run}: the three measurements of the inventory issue against the running suite, each beside
 * a baseline of the same run, each followed by its correctness check.
 * <ul>
 *   <li>(a) hot-SKU reservations with {@code --clients} connections vs pgbench's conditional update</li>
 *   <li>(b) movement accepted over HTTP → its record on {@code omni.availability}, at {@code --movement-rate}</li>
 *   <li>(c) availability near me over {@code --stores} stores at {@code --near-rate}</li>
 *   <li>(m) the three no-oversell mechanisms of the issue side by side in pgbench (the grounds for the service's)</li>
 * </ul>
 * {@code --quick=true} shortens every phase for a smoke run; any figure can be set on its own.
 */
public final class Main {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        boolean quick = Boolean.parseBoolean(args.string("quick", "false"));
        URI url = URI.create(args.string("url", "http://127.0.0.1:8082"));
        String kafka = args.string("kafka", "127.0.0.1:9092");
        String jdbc = args.string("jdbc", "jdbc:postgresql://127.0.0.1:15432/inventory");
        String database = args.string("database", "inventory");
        String dbUser = System.getenv().getOrDefault("PGUSER", "omni");
        String dbPassword = System.getenv().getOrDefault("PGPASSWORD", "omni");
        String pgbenchPath = args.string("pgbench", "/usr/bin/pgbench");
        int clients = args.integer("clients", 64);
        Duration hotDuration = Duration.ofSeconds(args.integer("hot-seconds", quick ? 5 : 30));
        int hotStock = args.integer("hot-stock", 1_000_000);
        int movementRate = args.integer("movement-rate", quick ? 50 : 200);
        Duration movementDuration = Duration.ofSeconds(args.integer("movement-seconds", quick ? 5 : 30));
        int movementStores = args.integer("movement-stores", 100);
        int movementSkus = args.integer("movement-skus", quick ? 1 : 5);
        int stores = args.integer("stores", 1_000);
        int nearRate = args.integer("near-rate", quick ? 200 : 2_000);
        Duration nearDuration = Duration.ofSeconds(args.integer("near-seconds", quick ? 5 : 30));
        double radiusKm = Double.parseDouble(args.string("radius-km", "25"));
        int samples = args.integer("samples", 20);
        Duration mechanismDuration = Duration.ofSeconds(args.integer("mechanism-seconds", quick ? 3 : 15));
        int mechanismUnits = args.integer("mechanism-units", 500_000);
        int flashUnits = args.integer("flash-units", 100);
        String phases = args.string("phases", "abcm");
        Duration warmUp = Duration.ofSeconds(args.integer("warmup-seconds", quick ? 3 : 10));
        String staticUrl = args.string("static-url", "");
        NearMe.StaticFloor staticFloor = staticUrl.isEmpty() ? null
                : new NearMe.StaticFloor(URI.create(staticUrl), Path.of(args.string("static-dir", "")));

        String runId = UUID.randomUUID().toString().substring(0, 8);
        Inventory inventory = new Inventory(url, jdbc, dbUser, dbPassword);
        Pgbench pgbench = new Pgbench(pgbenchPath, database);
        Report report = new Report("inventory", "inventory-service: reservations, movement latency, near me");
        List<String> failures = new ArrayList<>();

        NearMe.seedStores(inventory, Math.max(stores, movementStores + 1));
        String hotStore = NearMe.storeId(1);

        if (phases.contains("a")) {
            HotSkuReservations.Outcome a = new HotSkuReservations(inventory, pgbench, hotStore, runId)
                    .run(clients, hotDuration, warmUp, hotStock);
            double ratio = a.createdPerSecond() / a.pgbench().tps();
            report.row("(a) hot-SKU reservations/s, %d clients, %d s, one sku@store".formatted(clients,
                            hotDuration.toSeconds()),
                    "%,.0f/s (%,d reserved; latency p50 %.1f ms, p99 %.1f ms; host %s)".formatted(
                            a.createdPerSecond(), a.created(), a.omni().millis(50), a.omni().millis(99), a.omniHost()),
                    "pgbench, same conditional UPDATE, -c %d: %,.0f tps (host %s)".formatted(clients,
                            a.pgbench().tps(), a.pgbenchHost()),
                    "%.2f× — %s".formatted(ratio, Report.verdict(ratio, 0.5, false, "≥ 0.5× pgbench")));
            report.row("(a) correctness: no oversell",
                    "reserved %,d = %,d answers 201 = %,d ACTIVE reservations; on hand %,d; available %,d"
                            .formatted(a.reserved(), a.created(), a.activeReservations(), a.onHand(), a.available()),
                    "pgbench row: reserved %,d = %,d transactions".formatted(a.pgbenchReserved(),
                            a.pgbench().processed()),
                    a.failures().isEmpty() ? "holds" : "FAILS: " + String.join("; ", a.failures()));
            report.note(("(a) The hot SKU gets %,d units first (never runs out at this rate: any 409 would be "
                    + "reported), and each request reserves one with the `web` channel. pgbench (`-M prepared -c %d "
                    + "-j 2 -T %d`) runs StockLedger's UPDATE word for word, with its sku/location/location joins, on "
                    + "a scratch copy of `stock_level` (`LIKE stock_level INCLUDING ALL`, dropped afterwards) in the "
                    + "`inventory` database. The service groups the concurrent reservations of the hot sku@store: "
                    + "one transaction per group inserts their reservation and line rows, runs that UPDATE once for "
                    + "their sum and writes their outbox events (inventory-service/README.md, grouped "
                    + "reservations); each answer comes after its group's commit. Afterwards the %,d reservations are "
                    + "released over the API (%,d answered 200) so no expiry burst follows.")
                    .formatted(a.stock(), clients, hotDuration.toSeconds(), a.activeReservations(), a.released()));
            failures.addAll(a.failures());
        }

        if (phases.contains("b")) {
            List<String> moveStores = new ArrayList<>();
            for (int i = 2; i < movementStores + 2; i++) {
                moveStores.add(NearMe.storeId(i));
            }
            MovementLatency.Outcome b = new MovementLatency(inventory, kafka, runId)
                    .run(moveStores, movementSkus, movementRate, movementDuration, warmUp, Duration.ofSeconds(15));
            Histogram omni = b.fromAcceptance();
            report.row("(b) movement accepted → omni.availability record, %d/s for %d s over %d keys"
                            .formatted(movementRate, movementDuration.toSeconds(), b.keys()),
                    "p50 %s, p99 %s, max %s (from the request: p99 %s)".formatted(ms(omni, 50), ms(omni, 99),
                            ms(omni, 100), ms(b.fromRequest(), 99)),
                    "bare Kafka producer → consumer, same rate: p50 %s, p99 %s, max %s".formatted(
                            ms(b.baseline(), 50), ms(b.baseline(), 99), ms(b.baseline(), 100)),
                    Report.verdict(omni.getValueAtPercentile(99) / 1000.0, 1000, true, "p99 < 1 s"));
            report.row("(b) correctness: every movement on the topic",
                    "%,d sent, %,d accepted, %,d matched, %,d missing, %,d ambiguous; latest record = API picture "
                            .formatted(b.sent(), b.accepted(), b.matched(), b.missing(), b.ambiguous())
                            + "for %,d of %,d keys".formatted(b.keys() - b.latestMismatches(), b.keys()),
                    "%,d missing".formatted(b.baselineMissing()),
                    b.failures().isEmpty() ? "holds" : "FAILS: " + String.join("; ", b.failures()));
            report.note(("(b) WMS receipts (+3) and POS sales (−1) alternate per `sku@location` over %d stores × %d "
                    + "sku(s), sent at a fixed rate whatever the answers do. The consumer (kafka-clients, in the "
                    + "bench JVM) is positioned at the end of `omni.availability` before the first movement; a "
                    + "record is matched to its movement by key and the on-hand the HTTP answer reported. Latency "
                    + "counts from the 200 answer (the movement is committed) to the record's arrival; %,d records "
                    + "arrived before their answer (counted as 0), %,d were delivered twice. The baseline sends to "
                    + "the scratch topic `%s` (acks=all, linger 5 ms, as the outbox relay) and counts from when a "
                    + "record was due.").formatted(movementStores, movementSkus, b.beforeAnswer(), b.duplicates(),
                    MovementLatency.BASELINE_TOPIC));
            failures.addAll(b.failures());
        }

        if (phases.contains("c")) {
            NearMe.Outcome c = new NearMe(inventory, pgbench, runId, staticFloor).run(stores, nearRate, nearDuration, warmUp,
                    radiusKm, samples);
            HttpLoad.Result omni = c.omni();
            report.row("(c) availability near me, %,d stores, %,d req/s for %d s, radius %s km".formatted(stores,
                            nearRate, nearDuration.toSeconds(), fmt(radiusKm)),
                    "p50 %.2f ms, p99 %.2f ms, max %.2f ms; %,.0f req/s achieved (host %s)".formatted(
                            omni.millis(50), omni.millis(99), omni.latencyMicros().getMaxValue() / 1000.0,
                            omni.perSecond(), c.omniHost()),
                    ("pgbench -R %d, the service's SQL: p50 %.2f ms, p99 %.2f ms; /q/health/live at the same rate: "
                            + "p50 %.2f ms, p99 %.2f ms (host %s)").formatted(nearRate, c.pgbench().millis(50),
                            c.pgbench().millis(99), c.health().millis(50), c.health().millis(99), c.healthHost())
                            + (c.floor() == null ? "; nginx floor not run (nginx not installed)"
                            : "; nginx serving the same answer as a file: p50 %.2f ms, p99 %.2f ms (host %s)"
                                    .formatted(c.floor().millis(50), c.floor().millis(99), c.floorHost())),
                    Report.verdict(omni.millis(99), 10, true, "p99 < 10 ms"));
            report.row("(c) correctness: the nearest stores",
                    "%d of %d sample searches answered exactly the expected stores, order and quantities; %,d of %,d "
                            .formatted(c.samples() - (int) c.failures().stream().filter(f -> f.startsWith("near"))
                                    .count(), c.samples(), omni.ok(), omni.completed()) + "searches 200",
                    "—", c.failures().isEmpty() ? "holds" : "FAILS: " + String.join("; ", c.failures()));
            report.note(("(c) %,d pickup stores in a region of about 220 × 270 km, %,.1f of them on average within "
                    + "%s km of a sample search point (an answer lists the nearest %d); 4 of 5 hold stock of the "
                    + "searched sku. Points are random in the "
                    + "region; latencies are HttpLoad's, corrected for coordinated omission. The expected answer "
                    + "of the sample searches is computed from the database rows (haversine, nearest %d). Baselines: "
                    + "pgbench runs the SQL the service sends for this search (bounding box; the service then "
                    + "measures distances, sorts and adds the pickup promise), `-c 16 -j 2 -R %d`, latency from when "
                    + "each transaction was due (pgbench's schedule lag included), which is what PostgreSQL alone "
                    + "needs; `/q/health/live` is the floor of the service's HTTP stack and this load generator; "
                    + "nginx (when installed) serving the largest sample answer as a static file, at the same rate "
                    + "from the same generator, is the floor of this machine at that moment. `host`: the machine's "
                    + "share of time stolen by the hypervisor and spent busy during that load (`/proc/stat`); steal "
                    + "delays every request alike and moves from minute to minute with the host's load.").formatted(c.storesInRegion(), c.storesPerSearch(), fmt(radiusKm), NearMe.LIMIT,
                    NearMe.LIMIT, nearRate));
            failures.addAll(c.failures());
        }

        if (phases.contains("m")) {
            Mechanisms.Outcome m = new Mechanisms(inventory, pgbench, runId, hotStore)
                    .run(clients, mechanismDuration, mechanismUnits, flashUnits, 20);
            double chosen = m.tps(Mechanisms.Mechanism.CONDITIONAL_UPDATE);
            double lock = m.tps(Mechanisms.Mechanism.ROW_LOCK);
            double units = m.tps(Mechanisms.Mechanism.UNIT_ROWS);
            report.row("(m) no-oversell mechanism: one unit per transaction on one sku@store, pgbench -c %d, %d s"
                            .formatted(clients, mechanismDuration.toSeconds()),
                    "conditional UPDATE (the service's): %,.0f tps".formatted(chosen),
                    "row lock (SELECT … FOR UPDATE, then UPDATE): %,.0f tps; per-unit rows (FOR UPDATE SKIP LOCKED): %,.0f tps"
                            .formatted(lock, units),
                    "chosen is %s (%.2f× the row lock, %.2f× per-unit rows)".formatted(
                            chosen >= Math.max(lock, units) ? "fastest" : "NOT fastest", chosen / lock, chosen / units));
            StringBuilder sold = new StringBuilder();
            m.flashSold().forEach((mechanism, count) -> sold.append(sold.isEmpty() ? "" : "; ")
                    .append(mechanism.label).append(": ").append(count));
            report.row("(m) correctness: a flash sale of %d units, %,d attempts".formatted(m.flashUnits(),
                            m.flashAttempts()), "units reserved — " + sold, "—",
                    m.failures().isEmpty() ? "holds for all three" : "FAILS: " + String.join("; ", m.failures()));
            report.note(("(m) pgbench `-M prepared -c %d -j 2` on scratch tables in the `inventory` database: "
                    + "`stock_level`'s own shape (`LIKE stock_level INCLUDING ALL`) holding %,d units of one "
                    + "sku@store for the first two, and one row per unit (%,d rows, a partial index on the free "
                    + "ones) for the third. The scripts are in `bench/src/main/java/dev/omni/bench/inventory/"
                    + "Mechanisms.java`. The flash sale: %d units, %d clients × 20 attempts of one unit each; every "
                    + "unit must be sold and none twice.").formatted(clients, mechanismUnits, mechanismUnits,
                    m.flashUnits(), clients));
            failures.addAll(m.failures());
        }

        report.note(("Each phase first runs its load for %d s unmeasured (on a sku of its own where it changes "
                + "stock): a service that has not served a request kind yet parses its queries on first use.")
                .formatted(warmUp.toSeconds()));
        report.note("Every phase runs against the suite of `./omni up` on this one machine (service, PostgreSQL, "
                + "Kafka and the load generators share its cores); the data they create is under `BENCH-*` skus and "
                + "`bench-store-*` stores.");
        report.write();
        if (!failures.isEmpty()) {
            System.err.println("inventory bench: correctness checks FAILED:");
            failures.forEach(f -> System.err.println("  " + f));
            System.exit(1);
        }
    }

    private static String ms(Histogram micros, double percentile) {
        return String.format(Locale.ROOT, "%.1f ms", (percentile >= 100 ? micros.getMaxValue()
                : micros.getValueAtPercentile(percentile)) / 1000.0);
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
