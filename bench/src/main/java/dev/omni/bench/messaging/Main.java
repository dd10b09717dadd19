package dev.omni.bench.messaging;

import dev.omni.bench.BenchAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omni.bench.Args;
import dev.omni.bench.Report;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.profile.Identifier;
import dev.omni.contracts.profile.ProfileIdentified;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Sustained sends through messaging's transactional send API ({@code POST /api/messages}: idempotency key, guards,
 * Qute template with tracked links, outbox event, SMTP provider) to the suite's SMTP sink, against a same-run
 * baseline that sends the same number of the same mails to the same sink without any of that (notifme-sdk through
 * Node when it is installed, else plain SMTP from Java). Every send is checked where it landed: the SMTP sink (no
 * duplicate, none lost), the service's database (one row per key, all SENT) and {@code omni.message-events} (one
 * {@code sent} per message); a repeated idempotency key must create nothing.
 */
public final class Main {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ORDER = Pattern.compile("Your order (\\S+) is confirmed");
    private static final Pattern SUBJECT_LINE = Pattern.compile("(?m)^Subject: (.*)$");

    private final Args args;
    private final String url;
    private final String smtpApi;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Main(Args args) {
        this.args = args;
        this.url = args.string("url", "http://127.0.0.1:8083");
        this.smtpApi = args.string("smtp-api", "http://127.0.0.1:8025");
    }

    public static void main(String[] argv) throws Exception {
        new Main(new Args(argv)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        boolean quick = Boolean.parseBoolean(args.string("quick", "false"));
        int messages = args.integer("messages", quick ? 1_000 : 20_000);
        int warmup = args.integer("warmup", quick ? 200 : 2_000);
        // bench/messaging/run restarts messaging-service: its JIT compiles for about a minute under this load
        int warmupSeconds = args.integer("warmup-seconds", quick ? 0 : 60);
        int profiles = args.integer("profiles", quick ? 50 : 500);
        int batch = args.integer("batch", 100);
        int concurrency = args.integer("concurrency", batch > 1 ? 8 : 64);
        double target = args.integer("target", 5_000);
        String sinkKind = args.string("sink", "fast");

        System.err.printf("messaging bench %s: %,d messages (after warm-up rounds of %,d for at least %d s) to %,d "
                + "profiles, %d per request, %d requests in flight, %s sink%n", run, messages, warmup, warmupSeconds,
                profiles, batch, concurrency, sinkKind);
        try (SmtpSink fast = "fast".equals(sinkKind) ? SmtpSink.start(args.integer("sink-port", 2526),
                args.integer("sink-threads", 1)) : null) {
            if (fast != null) {
                System.err.printf("fast SMTP sink on 127.0.0.1:%d (messaging must send there: bench/messaging/run "
                        + "restarts it so)%n", fast.port());
            }
            measure(fast, messages, warmup, warmupSeconds, profiles, batch, concurrency, target);
        }
    }

    private void measure(SmtpSink fast, int messages, int warmupRound, int warmupSeconds, int profiles, int batch,
            int concurrency, double target) throws Exception {
        List<Profile> people = profiles(profiles);

        Instant since = Instant.now().minusSeconds(5);
        long warmStart = System.nanoTime();
        int warmup = 0;
        for (int round = 0; round == 0 || System.nanoTime() - warmStart < TimeUnit.SECONDS.toNanos(warmupSeconds);
                round++) {
            Load warm = send(people, "w" + round + "-", warmupRound, batch, concurrency);
            warmup += warmupRound;
            System.err.println("warm-up round " + round + ": " + warm.summary());
        }
        double warmedFor = (System.nanoTime() - warmStart) / 1e9;
        Load omni = send(people, "m", messages, batch, concurrency);
        System.err.println("omni: " + omni.summary());

        // a repeated key must answer the first message and create nothing
        int repeats = Math.min(200, messages);
        Load repeated = send(people, "m", repeats, Math.min(batch, 50), Math.min(concurrency, 16));
        System.err.println("repeated keys: " + repeated.summary());

        Checks db = database(warmup + messages);
        Map<String, Long> sentEvents = sentEvents(since, db.ids);
        Sink omniSink = fast != null ? fastSink(fast, db.ids, "omni")
                : sink(people.stream().map(Profile::email).toList(), true);

        int baselineConcurrency = args.integer("baseline-concurrency", 64);
        Baseline baseline = baseline(fast, messages, baselineConcurrency, people.size(), db.sample);
        System.err.println("baseline " + baseline.name + ": " + baseline.summary());
        int smtpPool = args.integer("smtp-pool", 32);
        Baseline floor = fast != null && Boolean.parseBoolean(args.string("floor", "true"))
                ? deliveryFloor(fast, messages, smtpPool, people.size(), db.sample) : null;
        if (floor != null) {
            System.err.println("floor " + floor.name + ": " + floor.summary());
        }
        Baseline client = floor != null ? clientFloor(fast, messages, smtpPool, baselineConcurrency, people.size(),
                db.sample) : null;
        if (client != null) {
            System.err.println("floor " + client.name + ": " + client.summary());
        }

        long expected = warmup + messages;
        long sentOk = db.byStatus.getOrDefault("SENT", 0L);
        long eventsExactlyOnce = sentEvents.values().stream().filter(c -> c == 1).count();
        long eventsDuplicated = sentEvents.values().stream().filter(c -> c > 1).count();
        boolean repeatsAnswered = repeated.repeated == repeats && repeated.failures == 0
                && repeated.statuses.keySet().stream().allMatch(code -> code == 200);
        boolean zeroDuplicates = omniSink.duplicates == 0 && eventsDuplicated == 0 && db.rows == expected
                && repeatsAnswered;
        boolean nothingLost = sentOk == expected && omniSink.distinct == expected && eventsExactlyOnce == expected;
        int okStatus = batch > 1 ? 200 : 201;
        boolean allAnswered = omni.failures == 0 && omni.statuses.keySet().stream().allMatch(code -> code == okStatus)
                && omni.outcomes.getOrDefault("SENT", 0L) == messages;
        String api = batch > 1 ? "`POST /api/messages/batch` (%d per request, %d requests in flight)"
                .formatted(batch, concurrency) : "`POST /api/messages` (%d in flight)".formatted(concurrency);
        String sinkName = fast != null ? "the bench's SMTP sink" : "the suite's GreenMail";

        Report report = new Report("messaging", "messaging-service: sustained sends through guards, template and SMTP");
        report.row("email messages/s, %s → %s".formatted(api, sinkName),
                        "%,.0f/s".formatted(omni.perSecond()), "%,.0f/s (%s)".formatted(baseline.perSecond(), baseline.name),
                        Report.verdict(omni.perSecond(), target, false, "≥ %,.0f/s".formatted(target))
                                + "; %.2f× the baseline".formatted(omni.perSecond() / baseline.perSecond()))
                .row("latency per request p50 / p99 / max", "%.1f / %.1f / %.1f ms".formatted(omni.millis(50),
                        omni.millis(99), omni.maxMillis()), "—", "—")
                .row("answers", "HTTP " + omni.statuses + ", outcomes " + omni.outcomes, baseline.sent + " sent, "
                        + baseline.failed + " failed", allAnswered ? "all sent" : "FAILED: not all sent")
                .row("duplicates: mails at the sink / `sent` events / rows per key",
                        "%d / %d / %d rows for %d keys".formatted(omniSink.duplicates, eventsDuplicated, db.rows, expected),
                        baseline.sink == null ? "—" : baseline.sink.duplicates + " mails",
                        zeroDuplicates ? "zero duplicates" : "FAILED: duplicates")
                .row("lost: SENT rows / distinct mails at the sink / messages with one `sent` event (of %,d)"
                                .formatted(expected),
                        "%,d / %,d / %,d".formatted(sentOk, omniSink.distinct, eventsExactlyOnce),
                        baseline.sink == null ? "—" : "%,d of %,d mails".formatted(baseline.sink.distinct, messages),
                        nothingLost ? "none lost" : "FAILED: lost " + (expected - Math.min(sentOk, omniSink.distinct)))
                .row("repeated `Idempotency-Key` (%d resent)".formatted(repeats),
                        "HTTP %s, %d answered as repeats".formatted(repeated.statuses, repeated.repeated), "—",
                        repeatsAnswered ? "answered with the first message, nothing new" : "FAILED");
        if (floor != null) {
            floorRow(report, floor, messages, "the SMTP delivery alone: plain SMTP from Java, %d connections, one "
                    .formatted(smtpPool) + "MAIL/RCPT/DATA exchange per mail → " + sinkName,
                    "below 5,000/s: the delivery alone misses the target", "the delivery alone reaches 5,000/s");
            report.note("The delivery floor: the same %,d mails sent by plain SMTP from Java (`RawSmtp`) over as many "
                    .formatted(messages) + "connections as messaging's mailer pool, one MAIL/RCPT/DATA exchange per mail "
                    + "as quarkus-mailer speaks it, nothing else (no key, guard, template, record or event): what any "
                    + "sender on this machine pays per mail before doing its own work.");
        }
        if (client != null) {
            floorRow(report, client, messages, "the SMTP client alone: Vert.x `MailClient` (what quarkus-mailer wraps), "
                    + "a pool of %d, %d in flight → ".formatted(smtpPool, baselineConcurrency) + sinkName,
                    "below 5,000/s in the bench's JVM", "the mail client alone reaches 5,000/s");
            report.note("The mail client's floor: the same %,d mails through the SMTP client messaging-service sends "
                    .formatted(messages) + "with (`VertxMailFloor`: Vert.x `MailClient`, pooled, kept alive — it resets "
                    + "a reused connection with `RSET` before each mail), on one event loop of the bench's JVM (which "
                    + "also runs the sink), nothing else; timed on a second pass, after a first one has compiled its "
                    + "code.");
        }
        report.note(("Omni: each message is one item of %s for a known profile (template `order-confirmation`, email, "
                + "an idempotency key each), so each goes through the key check, the guards (consent, address, caps/quiet "
                + "hours skipped as transactional), the Qute render with signed click links and open pixel, the outbox "
                + "event, the SMTP provider (quarkus-mailer, pooled connections) and the SENT update with its event; "
                + "the figure is messages answered SENT per second after a warm-up of %,d messages in %.0f s "
                + "(`bench/messaging/run` restarts messaging-service, whose JIT compiler takes much of a core for "
                + "about a minute under this load; `--warmup-seconds`).").formatted(api, warmup, warmedFor));
        report.note("Baseline: " + baseline.description);
        report.note(fast != null
                ? "Sink: both send to the bench's own SMTP server (`SmtpSink`, Vert.x, PIPELINING, counts each mail by "
                        + "its `X-Omni-Message-Id`, stores nothing), started by the bench; `bench/messaging/run` restarts "
                        + "the suite's messaging-service with `-Dquarkus.mailer.port` at it and restores it afterwards. "
                        + "`--sink=greenmail` measures against the suite's GreenMail instead (which caps even the "
                        + "baseline at about 200/s)."
                : "Sink: the suite's GreenMail on :2525 (`--sink=greenmail`); it parses and stores every mail, which "
                        + "caps even the baseline at about 200/s.");
        report.note("Checked: every answer's outcome, the `message` rows of the run's keys (%s), `omni.message-events` "
                .formatted(db.byStatus) + "from the run's start, and the mails at the sink (by message id).");
        report.note("Channels: `./omni up` configures only the SMTP provider, so SMS/push (HTTP providers) are not in "
                + "this figure; their request shapes, retries and failover are proven by the module's tests.");
        report.note("Size: %,d profiles, %,d messages, %d per request, %d requests in flight (`--messages`, `--profiles`, "
                .formatted(profiles, messages, batch, concurrency) + "`--batch`, `--concurrency`; `--batch=1` sends one "
                + "message per `POST /api/messages`).");
        if (!zeroDuplicates || !nothingLost || !allAnswered) {
            report.note("**CHECK FAILED** — see the rows above.");
        }
        report.write();
    }

    // ---- profiles ---------------------------------------------------------------------------------------------

    record Profile(String id, String email) {
    }

    /** Profiles messaging learns of the way it does in the suite: {@code identified} events on omni.profiles. */
    private List<Profile> profiles(int count) throws Exception {
        List<Profile> people = new ArrayList<>();
        Properties props = new Properties();
        props.put("bootstrap.servers", args.string("kafka", "127.0.0.1:9092"));
        props.put("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                String email = "bench-" + run + "-" + i + "@bench.omni.local";
                people.add(new Profile(id, email));
                CloudEvent<ProfileIdentified> event = CloudEvent.of(EventType.PROFILE_IDENTIFIED, "/bench", id,
                        new ProfileIdentified(id, List.of(new Identifier("email", email)),
                                Map.of("firstName", "Bench" + i), Instant.now()));
                producer.send(new ProducerRecord<>(Topics.PROFILES, event.key(), EventCodec.encode(event)));
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (Profile p : people) {
            while (get(url + "/api/contacts/" + p.id()).statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("messaging did not learn of profile " + p.id() + " within 2 min");
                }
                Thread.sleep(100);
            }
        }
        return people;
    }

    // ---- load -------------------------------------------------------------------------------------------------

    record Load(long completed, Map<Integer, Long> statuses, Map<String, Long> outcomes, long repeated,
                long failures, Histogram micros, Duration elapsed) {
        double perSecond() {
            return completed / (elapsed.toNanos() / 1e9);
        }

        double millis(double p) {
            return micros.getValueAtPercentile(p) / 1000.0;
        }

        double maxMillis() {
            return micros.getMaxValue() / 1000.0;
        }

        String summary() {
            return "%,d in %.1f s = %,.0f/s; statuses %s outcomes %s repeated %d failures %d; p50 %.1f p99 %.1f ms"
                    .formatted(completed, elapsed.toMillis() / 1000.0, perSecond(), statuses, outcomes, repeated,
                            failures, millis(50), millis(99));
        }
    }

    /**
     * {@code count} sends, {@code batch} per request ({@code POST /api/messages} one at a time when 1),
     * {@code concurrency} requests in flight (closed loop): the most the service does.
     */
    private Load send(List<Profile> people, String phase, int count, int batch, int concurrency) throws Exception {
        int requests = (count + batch - 1) / batch;
        return closedLoop(requests, concurrency, r -> {
            if (batch == 1) {
                Item item = item(people, phase, r);
                return BenchAuth.authorize(HttpRequest.newBuilder(URI.create(url + "/api/messages")))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json").header("Idempotency-Key", item.key())
                        .POST(HttpRequest.BodyPublishers.ofString(item.body())).build();
            }
            StringBuilder body = new StringBuilder("{\"messages\":[");
            for (int n = r * batch; n < Math.min(count, (r + 1) * batch); n++) {
                Item item = item(people, phase, n);
                body.append(n == r * batch ? "" : ",").append(item.body(), 0, item.body().length() - 1)
                        .append(",\"idempotencyKey\":\"").append(item.key()).append("\"}");
            }
            body.append("]}");
            return BenchAuth.authorize(HttpRequest.newBuilder(URI.create(url + "/api/messages/batch")))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        });
    }

    record Item(String key, String body) {
    }

    private Item item(List<Profile> people, String phase, int n) {
        Profile p = people.get(n % people.size());
        String order = run + "-" + phase + n;
        return new Item("bench-" + order, """
                {"profileId":"%s","channel":"email","template":"order-confirmation",\
                "variables":{"orderId":"%s","total":"%d,90 €"}}""".formatted(p.id(), order, 10 + n % 90));
    }

    private Load closedLoop(int count, int concurrency, IntFunction<HttpRequest> requests) throws Exception {
        Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        Map<String, Long> outcomes = new ConcurrentHashMap<>();
        AtomicLong failures = new AtomicLong();
        AtomicLong messages = new AtomicLong();
        AtomicLong repeated = new AtomicLong();
        Semaphore slots = new Semaphore(concurrency);
        List<CompletableFuture<?>> all = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int n = 0; n < count; n++) {
            slots.acquire();
            long t0 = System.nanoTime();
            all.add(http.sendAsync(requests.apply(n), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                long us = Math.max(1, (System.nanoTime() - t0) / 1000);
                synchronized (micros) {
                    micros.recordValue(Math.min(us, micros.getHighestTrackableValue()));
                }
                if (e != null) {
                    failures.incrementAndGet();
                } else {
                    statuses.merge(r.statusCode(), 1L, Long::sum);
                    count(r, outcomes, messages, repeated);
                }
                slots.release();
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        return new Load(messages.get(), new TreeMap<>(statuses), new TreeMap<>(outcomes), repeated.get(),
                failures.get(), micros, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The messages of one answer: a single message (201 new, 200 repeated) or a batch's list. */
    private static void count(HttpResponse<String> response, Map<String, Long> outcomes, AtomicLong messages,
            AtomicLong repeated) {
        JsonNode node;
        try {
            node = JSON.readTree(response.body());
        } catch (Exception e) {
            outcomes.merge("unreadable", 1L, Long::sum);
            return;
        }
        if (node.has("messages") && node.get("messages").isArray()) {
            for (JsonNode item : node.get("messages")) {
                messages.incrementAndGet();
                outcomes.merge(item.path("message").path("status").asText("?"), 1L, Long::sum);
                if (item.path("repeated").asBoolean()) {
                    repeated.incrementAndGet();
                }
            }
        } else {
            messages.incrementAndGet();
            outcomes.merge(node.hasNonNull("status") ? node.get("status").asText() : "?", 1L, Long::sum);
            if (response.statusCode() == 200) {
                repeated.incrementAndGet();
            }
        }
    }

    // ---- checks -----------------------------------------------------------------------------------------------

    record Checks(long rows, Map<String, Long> byStatus, Set<String> ids, Map<String, String> sample) {
    }

    /** The run's rows in messaging's database: one per key, their statuses, and one rendered message. */
    private Checks database(long expected) throws Exception {
        String like = "api:bench-" + run + "-%";
        try (Connection db = DriverManager.getConnection(args.string("jdbc",
                "jdbc:postgresql://127.0.0.1:15432/messaging"), args.string("db-user", "omni"),
                args.string("db-password", "omni"))) {
            Map<String, Long> byStatus = new TreeMap<>();
            Set<String> ids = new HashSet<>();
            long rows = 0;
            try (PreparedStatement q = db.prepareStatement(
                    "SELECT id::text, status FROM message WHERE idempotency_key LIKE ?")) {
                q.setString(1, like);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        ids.add(rs.getString(1));
                        byStatus.merge(rs.getString(2), 1L, Long::sum);
                    }
                }
            }
            Map<String, String> sample = new HashMap<>();
            try (PreparedStatement q = db.prepareStatement(
                    "SELECT subject, body_text, body_html FROM message WHERE idempotency_key LIKE ? AND status = 'SENT' LIMIT 1")) {
                q.setString(1, like);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        sample.put("subject", rs.getString(1));
                        sample.put("text", rs.getString(2));
                        sample.put("html", rs.getString(3));
                    }
                }
            }
            System.err.printf("database: %,d rows for %,d keys, %s%n", rows, expected, byStatus);
            return new Checks(rows, byStatus, ids, sample);
        }
    }

    /** How many {@code omni.message.sent} events each of the run's messages has on omni.message-events. */
    private Map<String, Long> sentEvents(Instant since, Set<String> ids) {
        Properties props = new Properties();
        props.put("bootstrap.servers", args.string("kafka", "127.0.0.1:9092"));
        props.put("enable.auto.commit", "false");
        props.put("max.poll.records", "5000");
        Map<String, Long> sent = new HashMap<>();
        ids.forEach(id -> sent.put(id, 0L));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.MESSAGE_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(times);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp at = from.get(p);
                consumer.seek(p, at == null ? end.get(p) : at.offset());
            }
            // the outbox relays after commit: wait until every message has its event, or 60 s
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long quietUntil = 0;
            while (System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> r : records) {
                    if (r.key() != null && sent.containsKey(r.key())
                            && EventType.MESSAGE_SENT.type().equals(EventCodec.decode(r.value()).type())) {
                        sent.merge(r.key(), 1L, Long::sum);
                    }
                }
                boolean all = sent.values().stream().allMatch(c -> c >= 1);
                if (all && quietUntil == 0) {
                    quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // a late duplicate would show
                }
                if (quietUntil != 0 && System.nanoTime() > quietUntil) {
                    break;
                }
            }
        }
        return sent;
    }

    record Sink(long mails, long distinct, long duplicates) {
    }

    /** The mails of these message ids at the bench's sink: how many arrived, and how many more than once. */
    private static Sink fastSink(SmtpSink sink, java.util.Collection<String> ids, String who) {
        long mails = 0;
        long distinct = 0;
        long duplicates = 0;
        for (String id : ids) {
            long n = sink.count(id);
            mails += n;
            distinct += n > 0 ? 1 : 0;
            duplicates += Math.max(0, n - 1);
        }
        System.err.printf("sink (%s): %,d mails, %,d distinct, %,d duplicates (sink: %,d mails in all, %,d without id, "
                + "%,d connections)%n", who, mails, distinct, duplicates, sink.mails(), sink.withoutId(),
                sink.connections());
        return new Sink(mails, distinct, duplicates);
    }

    /** Reads each mailbox at the SMTP sink (order ids from the subjects), then deletes it. */
    private Sink sink(List<String> addresses, boolean omniMails) throws Exception {
        long mails = 0;
        Set<String> seen = new HashSet<>();
        long duplicates = 0;
        for (String address : addresses) {
            String box = URLEncoder.encode(address, StandardCharsets.UTF_8);
            HttpResponse<String> inbox = get(smtpApi + "/api/user/" + box + "/messages/INBOX/");
            if (inbox.statusCode() == 200) {
                for (JsonNode mail : JSON.readTree(inbox.body())) {
                    mails++;
                    String subject = mail.path("subject").asText("");
                    if (subject.isEmpty()) {
                        Matcher line = SUBJECT_LINE.matcher(mail.path("mimeMessage").asText(""));
                        subject = line.find() ? line.group(1).trim() : "";
                    }
                    Matcher order = ORDER.matcher(subject);
                    String key = order.find() ? order.group(1) : subject;
                    if (!seen.add(key)) {
                        duplicates++;
                    }
                }
            }
            http.send(HttpRequest.newBuilder(URI.create(smtpApi + "/api/user/" + box)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        System.err.printf("sink (%s): %,d mails, %,d distinct, %,d duplicates%n", omniMails ? "omni" : "baseline",
                mails, seen.size(), duplicates);
        return new Sink(mails, seen.size(), duplicates);
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return http.send(BenchAuth.authorize(HttpRequest.newBuilder(URI.create(uri))).timeout(Duration.ofSeconds(30))
                        .GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---- baseline ---------------------------------------------------------------------------------------------

    record Baseline(String name, String description, long sent, long failed, Duration elapsed, Sink sink) {
        double perSecond() {
            return sent / (elapsed.toNanos() / 1e9);
        }

        String summary() {
            return "%,d sent, %,d failed in %.1f s = %,.0f/s".formatted(sent, failed, elapsed.toMillis() / 1000.0,
                    perSecond());
        }
    }

    /** {@code count} mailboxes {@code prefix-i@bench.omni.local} at the sink. */
    private static List<String> addresses(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i + "@bench.omni.local").toList();
    }

    /** The ids {@code prefix-n} the sink counts mails by ({@link RawSmtp} and notifme-baseline.js send these). */
    private static List<String> messageIds(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(n -> prefix + "-" + n).toList();
    }

    /**
     * The floor: the same mails from Java over plain SMTP ({@link RawSmtp}), as many connections as messaging's mailer
     * pool, one MAIL/RCPT/DATA exchange per mail as quarkus-mailer speaks it (no pipelining across commands): what any
     * sender pays per mail on this machine before doing anything else.
     */
    private Baseline deliveryFloor(SmtpSink fast, int messages, int connections, int addresses,
            Map<String, String> sample) throws Exception {
        String prefix = "floor-" + run;
        List<String> boxes = addresses(prefix, addresses);
        List<String> ids = messageIds(prefix, messages);
        RawSmtp.Result result = new RawSmtp("127.0.0.1", fast.port()).send(boxes, messages, connections, sample);
        return new Baseline("plain SMTP", "plain SMTP from Java", result.sent(), result.failed(), result.elapsed(),
                fastSink(fast, ids, "floor"));
    }

    /** A floor's row: its rate, or what went wrong when not every mail arrived exactly as sent. */
    private static void floorRow(Report report, Baseline floor, int messages, String measure, String below,
            String reaches) {
        report.row(measure, "—", "%,.0f/s".formatted(floor.perSecond()),
                floor.sink.distinct != messages || floor.failed > 0
                        ? "FAILED: %,d of %,d mails arrived".formatted(floor.sink.distinct, messages)
                        : floor.perSecond() < 5000 ? below : reaches);
    }

    /** The same mails through the mail client under quarkus-mailer, and nothing else ({@link VertxMailFloor}). */
    private Baseline clientFloor(SmtpSink fast, int messages, int pool, int inFlight, int addresses,
            Map<String, String> sample) throws Exception {
        String prefix = "client-" + run;
        List<String> boxes = addresses(prefix, addresses);
        List<String> ids = messageIds(prefix, messages);
        RawSmtp.Result result = new VertxMailFloor("127.0.0.1", fast.port()).send(boxes, ids, pool, inFlight, sample);
        return new Baseline("Vert.x MailClient", "Vert.x MailClient", result.sent(), result.failed(), result.elapsed(),
                fastSink(fast, ids, "mail client"));
    }

    /**
     * The same number of the same mail (subject, text and HTML of one Omni rendered) to as many addresses at the same
     * sink, {@code concurrency} in flight: notifme-sdk's SMTP provider (nodemailer, pooled) when {@code --notifme-dir}
     * has it installed, else plain SMTP from Java.
     */
    private Baseline baseline(SmtpSink fast, int messages, int concurrency, int addresses, Map<String, String> sample)
            throws Exception {
        String prefix = "base-" + run;
        List<String> boxes = addresses(prefix, addresses);
        String smtp = fast != null ? "127.0.0.1:" + fast.port() : args.string("smtp", "127.0.0.1:2525");
        List<String> ids = messageIds(prefix, messages);
        Path notifme = Path.of(args.string("notifme-dir", "bench/target/messaging-node"));
        Path script = Path.of(args.string("notifme-script", "bench/messaging/notifme-baseline.js"));
        int pool = args.integer("smtp-pool", 32);
        String reason = args.string("notifme-missing", "");
        if (Files.isDirectory(notifme.resolve("node_modules/notifme-sdk")) && Files.isRegularFile(script)) {
            Path input = Files.createTempFile("notifme-", ".json");
            Files.writeString(input, JSON.writeValueAsString(Map.of("count", messages, "concurrency", concurrency,
                    "host", smtp.split(":")[0], "port", Integer.parseInt(smtp.split(":")[1]), "pool", pool,
                    "prefix", prefix, "addresses", addresses, "run", run, "sample", sample)));
            Process node = new ProcessBuilder("node", script.toAbsolutePath().toString(), input.toString())
                    .directory(notifme.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (node.waitFor() == 0) {
                JsonNode result = JSON.readTree(out);
                Sink sink = fast != null ? fastSink(fast, ids, "baseline") : sink(boxes, false);
                return new Baseline("notifme-sdk " + result.path("version").asText(),
                        "notifme-sdk %s (Node %s) with its SMTP provider (nodemailer, a pool of %d connections like "
                                .formatted(result.path("version").asText(), result.path("node").asText(), pool)
                                + "messaging's quarkus-mailer pool), the same %,d mails (subject, text and HTML of one Omni "
                                .formatted(messages)
                                + "rendered) to the same sink with %d in flight; it keeps no record, checks no consent "
                                .formatted(concurrency)
                                + "or key and renders nothing, so it is the cost of the SMTP delivery alone.",
                        result.path("sent").asLong(), result.path("failed").asLong(),
                        Duration.ofMillis(result.path("millis").asLong()), sink);
            }
            reason = "notifme-sdk is installed but its run failed (exit " + node.exitValue() + ")";
        } else if (reason.isEmpty()) {
            reason = "notifme-sdk is not installed in " + notifme;
        }
        RawSmtp raw = new RawSmtp(smtp.split(":")[0], Integer.parseInt(smtp.split(":")[1]));
        RawSmtp.Result result = raw.send(boxes, messages, Math.min(concurrency, pool), sample);
        Sink sink = fast != null ? fastSink(fast, ids, "baseline") : sink(boxes, false);
        return new Baseline("plain SMTP", reason + ", so the baseline is plain SMTP from Java (%d connections, "
                .formatted(Math.min(concurrency, pool)) + "MAIL/RCPT/DATA per message) with the same mails to the "
                + "same sink: the cost of the SMTP delivery alone.", result.sent(), result.failed(), result.elapsed(),
                sink);
    }
}
