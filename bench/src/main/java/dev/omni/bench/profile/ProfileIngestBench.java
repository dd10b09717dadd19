package dev.omni.bench.profile;

import dev.omni.bench.Args;
import dev.omni.bench.HttpLoad;
import dev.omni.bench.Report;
import dev.omni.contracts.Topics;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/**
 * {@code bench/profile-ingest}: how many events per second {@code POST /api/events} takes in and gets onto
 * {@code omni.interactions}, how long an accepted event takes to get there at 5,000 events/s, and whether every
 * accepted event got there exactly once — beside Kafka's own producer benchmark on the same broker in the same run.
 */
public final class ProfileIngestBench {

    private static final double TARGET_RATE = 20_000;
    private static final double TARGET_LAG_MS = 500;
    private static final int TARGET_LAG_RATE = 5_000;

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        URI url = URI.create(args.string("url", "http://127.0.0.1:8081"));
        String bootstrap = args.string("bootstrap", "127.0.0.1:9092");
        String toolsClasspath = args.string("kafka-tools-classpath", "");
        int batchSize = args.integer("batch", 100);
        int connections = args.integer("connections", 16);
        int seconds = args.integer("seconds", 30);
        int lagRate = args.integer("lag-rate", TARGET_LAG_RATE);
        int lagBatch = args.integer("lag-batch", 100);
        int lagSeconds = args.integer("lag-seconds", 30);
        int lagConnections = args.integer("lag-connections", 64);
        int visitors = args.integer("visitors", 10_000);
        // answers still out are awaited this long; accepted events until none of them arrived for this long
        int drainSeconds = args.integer("drain-seconds", 120);
        // and at most this long in all: a backlog left by a closed loop faster than the resolver drains for minutes
        int maxDrainSeconds = args.integer("max-drain-seconds", 1_800);
        int settleSeconds = args.integer("settle-seconds", 600);
        // false (default): a 202 once the batch is durably in the accept log — the acceptance the lag is measured
        // from; true: the service answers once the events are resolved (profileIds in the answer)
        boolean wait = Boolean.parseBoolean(args.string("wait", "false"));
        String path = "/api/events?wait=" + wait;
        int graceMillis = args.integer("grace-ms", 2_000);
        int perfSeconds = args.integer("perf-seconds", seconds);
        long perfRecords = args.number("perf-records", 0);
        long perfMaxRecords = args.number("perf-max-records", 20_000_000);
        if (toolsClasspath.isBlank()) {
            throw new IllegalArgumentException(
                    "--kafka-tools-classpath is required (bench/lib.sh kafka_tools_classpath)");
        }
        if (lagRate % lagBatch != 0) {
            throw new IllegalArgumentException("--lag-rate must be a multiple of --lag-batch");
        }

        String run = UUID.randomUUID().toString().substring(0, 8);
        String prefix = "pi-" + run + "-";
        EventBatches throughputBatches = new EventBatches(prefix + "v", batchSize, visitors);
        EventBatches lagBatches = new EventBatches(prefix + "v", lagBatch, visitors);
        Ledger throughput = new Ledger(prefix + "t-", batchSize);
        Ledger lag = new Ledger(prefix + "l-", lagBatch);
        Report report = new Report("profile-ingest", "profile-service: event ingestion (`bench/profile-ingest`)");

        try (InteractionWatcher watcher = new InteractionWatcher(bootstrap, prefix).start()) {
            watcher.watch(throughput);
            watcher.watch(lag);
            int partitions = watcher.partitions();

            // 1. throughput: closed loop, then every accepted event must reach omni.interactions
            System.err.printf("profile-ingest %s: closed loop, %d events/batch on %d connections for %d s%n", run,
                    batchSize, connections, seconds);
            long loadStart = System.nanoTime();
            HttpLoad.Result closed;
            try (BatchLoad load = new BatchLoad(url, path, connections)) {
                closed = load.closedLoop((seq, due) -> throughputBatches.batch(throughput, seq, due),
                        connections, Duration.ofSeconds(seconds), Duration.ofSeconds(drainSeconds), throughput);
            }
            System.err.println("profile-ingest: " + closed.summary());
            awaitDelivery(watcher, throughput, drainSeconds, maxDrainSeconds, graceMillis);
            Ledger.Outcome t = throughput.outcome();
            double acceptedPerSecond = t.accepted() / seconds(closed.elapsed().toNanos());
            long deliveredNanos = Math.max(closed.elapsed().toNanos(), throughput.lastSeenNanos() - loadStart);
            double deliveredPerSecond = (t.accepted() - t.lost()) / seconds(deliveredNanos);
            long trailMillis = Math.max(0, throughput.lastSeenNanos() - loadStart - closed.elapsed().toNanos())
                    / 1_000_000;

            // 2. Kafka's producer benchmark, records the size of what the service published
            long recordBytes = Math.max(100, watcher.averageRecordBytes());
            ProducerPerf perf = new ProducerPerf(bootstrap, toolsClasspath);
            String scratch = "bench.profile-ingest." + run;
            if (perfRecords <= 0) {
                ProducerPerf.Total calibration = perf.run(scratch + ".calibration", partitions, (int) recordBytes,
                        50_000);
                perfRecords = Math.max(50_000, Math.min(perfMaxRecords,
                        (long) (calibration.perSecond() * perfSeconds)));
            }
            System.err.printf("profile-ingest: producer-perf, %,d records of %d bytes, acks=all%n", perfRecords,
                    recordBytes);
            ProducerPerf.Total kafka = perf.run(scratch, partitions, (int) recordBytes, perfRecords);

            // the other consumers of omni.interactions are still digesting the closed loop: the lag phase measures a
            // steady 5,000 events/s, not that backlog
            Duration settled;
            try (ConsumerGroups groups = new ConsumerGroups(bootstrap, Topics.INTERACTIONS)) {
                settled = groups.awaitCaughtUp(Duration.ofSeconds(settleSeconds));
            }
            System.err.printf("profile-ingest: the suite's consumer groups %s%n", settled == null
                    ? "were still behind; the lag phase starts anyway"
                    : "caught up after another %,d ms".formatted(settled.toMillis()));

            // 3. lag: open loop at lagRate events/s, consumer already running
            int batchesPerSecond = lagRate / lagBatch;
            System.err.printf("profile-ingest: open loop, %d batches/s × %d events for %d s%n", batchesPerSecond,
                    lagBatch, lagSeconds);
            HttpLoad.Result open;
            try (BatchLoad load = new BatchLoad(url, path, lagConnections)) {
                open = load.fixedRate((seq, due) -> lagBatches.batch(lag, seq, due), batchesPerSecond,
                        Duration.ofSeconds(lagSeconds), Duration.ofSeconds(drainSeconds), lag);
            }
            System.err.println("profile-ingest: " + open.summary());
            awaitDelivery(watcher, lag, drainSeconds, maxDrainSeconds, graceMillis);
            Ledger.Outcome l = lag.outcome();
            watcher.check();

            write(report, new Figures(run, url.resolve(path), bootstrap, partitions, batchSize, connections, seconds,
                    visitors, closed, t, acceptedPerSecond, deliveredPerSecond, trailMillis, recordBytes, kafka, lagRate,
                    lagBatch, lagSeconds, lagConnections, open, l, throughput.badAnswers() + lag.badAnswers(),
                    firstNonNull(throughput.firstBadAnswer(), lag.firstBadAnswer()), graceMillis, drainSeconds,
                    maxDrainSeconds, settled, settleSeconds));
        }
    }

    /**
     * Waits until every accepted event was seen, giving up when none arrived for {@code stallSeconds} (or after
     * {@code maxSeconds} in all), then {@code graceMillis} for repeats. A backlog still draining is waited for: an
     * event is counted missing only once its records stopped coming, not because the resolver is behind.
     */
    private static void awaitDelivery(InteractionWatcher watcher, Ledger ledger, int stallSeconds, int maxSeconds,
            int graceMillis) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(maxSeconds).toNanos();
        long stall = Duration.ofSeconds(stallSeconds).toNanos();
        while (!ledger.allAcceptedSeen() && System.nanoTime() < deadline
                && System.nanoTime() - Math.max(start, ledger.lastSeenNanos()) < stall) {
            watcher.check();
            Thread.sleep(50);
        }
        if (!ledger.allAcceptedSeen()) {
            System.err.printf("profile-ingest: not every accepted event reached %s: none arrived for %d s, or %d s "
                    + "passed in all%n", Topics.INTERACTIONS, stallSeconds, maxSeconds);
        } else {
            System.err.printf("profile-ingest: every accepted event reached %s, %,d ms after the load%n",
                    Topics.INTERACTIONS, (System.nanoTime() - start) / 1_000_000);
        }
        Thread.sleep(graceMillis);
    }

    private record Figures(String run, URI url, String bootstrap, int partitions, int batchSize, int connections,
            int seconds, int visitors, HttpLoad.Result closed, Ledger.Outcome throughput, double acceptedPerSecond,
            double deliveredPerSecond, long trailMillis, long recordBytes, ProducerPerf.Total kafka, int lagRate,
            int lagBatch, int lagSeconds, int lagConnections, HttpLoad.Result open, Ledger.Outcome lag, long badAnswers,
            String firstBadAnswer, int graceMillis, int drainSeconds, int maxDrainSeconds, Duration settled,
            int settleSeconds) {
    }

    private static void write(Report report, Figures f) {
        Ledger.Outcome t = f.throughput();
        Ledger.Outcome l = f.lag();
        double ratio = f.deliveredPerSecond() / f.kafka().perSecond();
        report.row(("sustained ingest, events/s accepted by `POST /api/events` **and** on `%s` (closed loop, %d per "
                        + "batch, %d connections, %d s)")
                        .formatted(Topics.INTERACTIONS, f.batchSize(), f.connections(), f.seconds()),
                "%,.0f events/s".formatted(f.deliveredPerSecond()),
                "%,.0f records/s (Kafka `ProducerPerformance`, %d B, acks=all)".formatted(f.kafka().perSecond(),
                        f.recordBytes()),
                "Omni/Kafka %.4f; %s".formatted(ratio, Report.verdict(f.deliveredPerSecond(), TARGET_RATE, false,
                        "≥ 20,000/s")));
        report.row("of which answered `ACCEPTED` by the 202s, per second of load", "%,.0f events/s".formatted(
                f.acceptedPerSecond()), "—", "the last record arrived %,d ms after the last 202".formatted(
                f.trailMillis()));

        // the server kept up when everything was accepted and the last answer came about when the load ended
        double acceptedRate = l.accepted() / seconds(f.open().elapsed().toNanos());
        boolean sustained = l.unanswered() == 0 && l.accepted() >= l.sent() * 0.95
                && f.open().elapsed().toMillis() <= f.lagSeconds() * 1100L + 1000;
        double p99 = l.lagMicros().getValueAtPercentile(99) / 1000.0;
        String lagVerdict;
        if (!sustained) {
            lagVerdict = ("MISSES < 500 ms: %,d events/s offered were not taken in on time (%,.0f/s accepted until the "
                    + "last answer, 202 p99 %.0f ms)")
                    .formatted(f.lagRate(), acceptedRate, f.open().millis(99));
        } else if (f.lagRate() != TARGET_LAG_RATE) {
            lagVerdict = "%s, but at %,d/s, not the target's 5,000/s".formatted(
                    Report.verdict(p99, TARGET_LAG_MS, true, "< 500 ms"), f.lagRate());
        } else {
            lagVerdict = Report.verdict(p99, TARGET_LAG_MS, true, "< 500 ms");
        }
        report.row("lag p99, 202 arrived → record on `%s`, at %,d events/s offered (open loop, %d s)"
                        .formatted(Topics.INTERACTIONS, f.lagRate(), f.lagSeconds()),
                l.lagMicros().getTotalCount() == 0 ? "none: no accepted event to measure"
                        : "%.0f ms (p50 %.0f, max %.0f; %,d events)".formatted(p99, millis(l.lagMicros(), 50),
                                l.lagMicros().getMaxValue() / 1000.0, l.lagMicros().getTotalCount()),
                "—", lagVerdict);
        long lagBatches = l.sent() / f.lagBatch();
        long unansweredBatches = lagBatches - f.open().completed();
        report.row("batch answer latency at %,d events/s (from when each batch was due)".formatted(f.lagRate()),
                (f.open().completed() == 0 ? "no answer" : "p50 %.0f ms, p99 %.0f ms, max %.0f ms".formatted(
                        f.open().millis(50), f.open().millis(99), f.open().latencyMicros().getMaxValue() / 1000.0))
                        + (unansweredBatches == 0 ? "" : "; **%,d of %,d batches unanswered** after %.0f s"
                                .formatted(unansweredBatches, lagBatches, f.open().elapsed().toMillis() / 1000.0)),
                "producer-perf ack latency at full speed: p50 %d ms, p99 %d ms".formatted(f.kafka().p50Millis(),
                        f.kafka().p99Millis()), "—");
        boolean correct = t.correct() && l.correct();
        report.row("correctness: accepted events missing / duplicated on `%s`".formatted(Topics.INTERACTIONS),
                "%,d missing, %,d duplicated of %,d accepted".formatted(t.lost() + l.lost(),
                        t.duplicated() + l.duplicated(), t.accepted() + l.accepted()),
                "—", correct ? "OK: every accepted event arrived exactly once"
                        : "**FAILED**" + (t.publishedIgnored() + l.publishedIgnored() > 0
                                ? "; %,d events answered DUPLICATE/REJECTED were published".formatted(
                                        t.publishedIgnored() + l.publishedIgnored()) : ""));

        report.note(("Parameters: run `%s`, %s, Kafka %s (`%s`: %d partitions); events alternate a web `page` and an "
                + "app `track product_viewed` (which also updates recently viewed items) from %,d returning "
                + "anonymous visitors (`anonymousId` `pi-%s-v<n>`), each with a unique `messageId` "
                + "(`pi-%s-<phase>-<batch>-<index>`)"
                + " — the dedupe window is checked and written for every event.")
                .formatted(f.run(), f.url(), f.bootstrap(), Topics.INTERACTIONS, f.partitions(), f.visitors(),
                        f.run(), f.run()));
        report.note(("Throughput: %d connections each posting a batch of %d as soon as the last one was answered, for "
                + "%d s: %s. %,d events sent, %,d accepted, %,d without a 202 (%,d of those published anyway), %,d "
                + "answered DUPLICATE/REJECTED. The sustained rate divides the accepted events that reached `%s` "
                + "by the time from the first request to the last record seen (or the load time when longer), so a "
                + "backlog left in the outbox counts against it.")
                .formatted(f.connections(), f.batchSize(), f.seconds(), f.closed().summary(), t.sent(), t.accepted(),
                        t.unanswered(), t.publishedUnanswered(), t.ignored(), Topics.INTERACTIONS));
        report.note(("Baseline: `%s` to a scratch topic with %d partitions (created for the run, deleted after), "
                + "records of %d B — the average key + value size of this run's `%s` records — acks=all, "
                + "--throughput -1, %,d records in %.1f s (unless given, the count is sized by a 50,000-record "
                + "calibration run to last about as long as the closed loop); its closing line: `%s`. It has no "
                + "database, "
                + "no HTTP and no outbox, so the ratio is the share of the broker's raw producer rate the whole "
                + "ingest path reaches.")
                .formatted(ProducerPerf.MAIN, f.partitions(), f.recordBytes(), Topics.INTERACTIONS,
                        f.kafka().records(), f.kafka().records() / f.kafka().perSecond(), f.kafka().line()));
        report.note(("`POST %s`: with `wait=false` the service answers 202 once the batch's events are committed to its "
                + "accept log (one statement, messageIds deduplicated set-based) and resolves them asynchronously in "
                + "batches; with `wait=true` (the API's default) the answer waits for the resolution and carries each "
                + "event's profileId.").formatted(f.url().getPath() + "?" + f.url().getQuery()));
        report.note(("Before the lag phase: the suite's other consumers of `%s` (consumer groups with members) %s. "
                + "The lag is measured at a steady rate, not while they digest the closed loop's backlog.")
                .formatted(Topics.INTERACTIONS, f.settled() == null
                        ? "were still behind after %d s (`--settle-seconds`); the lag phase started anyway"
                                .formatted(f.settleSeconds())
                        : ("had caught up %,d ms after the bench's own consumer saw the last record and Kafka's "
                                + "producer benchmark ran").formatted(f.settled().toMillis())));
        report.note(("Lag: %d batches/s of %d events for %d s on up to %d connections, each batch sent when due "
                + "whatever the server does: %s. \"Lag\" is, per accepted event, the time from the moment its "
                + "batch's 202 arrived at the client to the moment a `%s` consumer in the same JVM (started before "
                + "the load, reading every partition, polling with fetch.max.wait 100 ms) received the record carrying "
                + "its messageId — the outbox relay's poll interval and batching, the Kafka send and the consumer's "
                + "fetch. It leaves out the time the request took; that is the batch answer latency row. %,d "
                + "events' records arrived before their batch's 202 (an earlier event of a batch commits and can be "
                + "published before the last one is done) and count as 0 ms. From when the batch was due to the "
                + "record: p50 %.0f ms, p99 %.0f ms. %,d events sent, %,d accepted, %,d never seen on the topic, %,d "
                + "without a 202.")
                .formatted(f.lagRate() / f.lagBatch(), f.lagBatch(), f.lagSeconds(), f.lagConnections(),
                        f.open().summary(), Topics.INTERACTIONS, l.seenBefore202(), millis(l.fromDueMicros(), 50),
                        millis(l.fromDueMicros(), 99), l.sent(), l.accepted(), l.lost(), l.unanswered()));
        report.note(("Correctness: a record counts when its messageId is one this run sent; missing = answered "
                + "ACCEPTED but never seen, after waiting until every one arrived or none arrived for %d s (at most "
                + "%d s in all; then %d ms more for repeats); duplicated = seen more than once (%,d extra copies). %s")
                .formatted(f.drainSeconds(), f.maxDrainSeconds(), f.graceMillis(),
                        t.extraCopies() + l.extraCopies(), f.badAnswers() == 0
                        ? "Every batch was answered 202 with a result per event."
                        : "%,d batches or events were not answered 202/ACCEPTED; the first: %s".formatted(
                                f.badAnswers(), f.firstBadAnswer())));
        report.note("The whole suite runs on this machine during the measurement (PostgreSQL, Kafka, every service — "
                + "the other services consume `" + Topics.INTERACTIONS + "` too — and the load generator); the "
                + "profiles the run creates stay in the `profile` database.");
        report.write();
        if (!correct) {
            System.err.println("profile-ingest: CORRECTNESS CHECK FAILED — see the correctness row");
        }
    }

    private static double millis(Histogram micros, double percentile) {
        return micros.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
