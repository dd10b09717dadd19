package dev.omni.bench.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.contracts.Topics;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * (b) From a store's movement accepted over HTTP to its picture on {@code omni.availability}: POS sales and WMS
 * receipts at a fixed rate over many {@code sku@location} keys, each matched to its record by key and the on-hand the
 * HTTP answer reported (per key the movements alternate +3 and −1, so every on-hand value of a key is new). The
 * consumer runs in this JVM and is positioned at the end of the topic before the first movement. Baseline: a bare
 * Kafka producer and consumer at the same rate on a scratch topic of the same broker (what the broker itself costs).
 */
final class MovementLatency {

    static final String BASELINE_TOPIC = "omni.bench.inventory-latency";

    /** What was measured and checked. */
    record Outcome(long sent, long accepted, Map<Integer, Long> statuses, long matched, long missing, long ambiguous,
            long beforeAnswer, long duplicates, Histogram fromAcceptance, Histogram fromRequest, Histogram baseline,
            long baselineMissing, long keys, long latestMismatches, List<String> failures) {
    }

    /** One movement: when it was sent and accepted, and the on-hand its answer reported. */
    private static final class Sent {
        final String key;
        volatile long sentAt;
        volatile long acceptedAt;
        volatile int status;
        volatile int onHand = Integer.MIN_VALUE;

        Sent(String key) {
            this.key = key;
        }
    }

    private final Inventory inventory;
    private final String bootstrap;
    private final String runId;

    MovementLatency(Inventory inventory, String bootstrap, String runId) {
        this.inventory = inventory;
        this.bootstrap = bootstrap;
        this.runId = runId;
    }

    Outcome run(List<String> stores, int skus, int rate, Duration duration, Duration warmUp, Duration drain)
            throws Exception {
        List<String[]> keys = new ArrayList<>();
        List<Map<String, Object>> opening = new ArrayList<>();
        for (int s = 0; s < skus; s++) {
            String sku = "BENCH-MOVE-" + runId + "-" + s;
            inventory.createSku(sku, "BENCH-MOVE-" + runId, String.valueOf(s));
            for (String store : stores) {
                keys.add(new String[] {sku, store});
                // the stock row exists before the measurement: the first movement of a key is not the common case
                opening.add(Map.of("movementId", "bench-open-" + sku + "@" + store, "kind", "RECEIPT", "sku", sku,
                        "locationId", store, "quantity", 10, "source", "bench"));
            }
        }
        inventory.receive(opening);
        warmUp(stores.get(0), rate, warmUp);

        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        Map<String, Integer> latestOnHand = new ConcurrentHashMap<>();
        AtomicLong duplicates = new AtomicLong();
        Set<String> ours = ConcurrentHashMap.newKeySet();
        keys.forEach(k -> ours.add(k[0] + "@" + k[1]));
        List<Sent> sent = new ArrayList<>();
        try (Watcher watcher = new Watcher(bootstrap, Topics.AVAILABILITY, (record, at) -> {
            if (!ours.contains(record.key())) {
                return;
            }
            int onHand = data(record.value()).path("onHand").asInt();
            latestOnHand.put(record.key(), onHand);
            if (arrivals.putIfAbsent(record.key() + "|" + onHand, at) != null) {
                duplicates.incrementAndGet();
            }
        })) {
            long total = rate * duration.toSeconds();
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            CountDownLatch answered = new CountDownLatch((int) total);
            long start = System.nanoTime();
            for (long n = 0; n < total; n++) {
                String[] key = keys.get((int) (n % keys.size()));
                long round = n / keys.size();
                boolean receipt = round % 2 == 0;
                Map<String, Object> movement = Map.of("movementId", "bench-mv-" + runId + "-" + n,
                        "kind", receipt ? "RECEIPT" : "SALE", "sku", key[0], "locationId", key[1],
                        "quantity", receipt ? 3 : 1, "source", receipt ? "wms" : "pos");
                Sent one = new Sent(key[0] + "@" + key[1]);
                sent.add(one);
                long due = start + n * interval;
                timer.schedule(() -> post(one, movement, answered), due - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            if (!answered.await(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("movements not answered within the time allowed");
            }
            timer.shutdown();
            long deadline = System.nanoTime() + drain.toNanos();
            while (System.nanoTime() < deadline && sent.stream()
                    .anyMatch(s -> s.status == 200 && !arrivals.containsKey(s.key + "|" + s.onHand))) {
                Thread.sleep(100);
            }
        }

        Histogram fromAcceptance = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
        Histogram fromRequest = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
        Map<Integer, Long> statuses = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        long matched = 0;
        long missing = 0;
        long ambiguous = 0;
        long beforeAnswer = 0;
        for (Sent s : sent) {
            statuses.merge(s.status, 1L, Long::sum);
            if (s.status != 200) {
                continue;
            }
            if (seen.merge(s.key + "|" + s.onHand, 1, Integer::sum) > 1) {
                ambiguous++;
            }
            Long at = arrivals.get(s.key + "|" + s.onHand);
            if (at == null) {
                missing++;
                continue;
            }
            matched++;
            if (at < s.acceptedAt) {
                beforeAnswer++;
            }
            record(fromAcceptance, at - s.acceptedAt);
            record(fromRequest, at - s.sentAt);
        }
        long accepted = statuses.getOrDefault(200, 0L);

        // the latest record of each key is the picture the API shows now
        long mismatches = 0;
        for (String[] key : keys) {
            JsonNode now = inventory.stock(key[0], key[1]);
            Integer last = latestOnHand.get(key[0] + "@" + key[1]);
            if (last == null || last != now.path("onHand").asInt()) {
                mismatches++;
            }
        }

        Baseline baseline = baseline(rate, duration, drain);
        List<String> failures = new ArrayList<>();
        if (accepted != sent.size()) {
            failures.add("not every movement was accepted: " + statuses);
        }
        if (missing > 0) {
            failures.add(missing + " accepted movements never reached " + Topics.AVAILABILITY);
        }
        if (ambiguous > 0) {
            failures.add(ambiguous + " movements could not be told apart (same key and on-hand)");
        }
        if (mismatches > 0) {
            failures.add(mismatches + " keys whose latest record differs from the API's picture");
        }
        return new Outcome(sent.size(), accepted, statuses, matched, missing, ambiguous, beforeAnswer, duplicates.get(),
                fromAcceptance, fromRequest, baseline.latencies, baseline.missing, keys.size(), mismatches, failures);
    }

    /** Single movements at the same rate on a sku of their own, unmeasured: the service's first ones are slow. */
    private void warmUp(String store, int rate, Duration warmUp) throws InterruptedException {
        String sku = "BENCH-MOVE-" + runId + "-warm";
        inventory.createSku(sku, "BENCH-MOVE-" + runId, "warm");
        long total = rate * warmUp.toSeconds();
        CountDownLatch answered = new CountDownLatch((int) total);
        for (long n = 0; n < total; n++) {
            inventory.postAsync("/api/stock-movements", Map.of("movementId", "bench-warm-" + runId + "-" + n,
                            "kind", n % 2 == 0 ? "RECEIPT" : "SALE", "sku", sku, "locationId", store,
                            "quantity", n % 2 == 0 ? 3 : 1, "source", "bench"))
                    .whenComplete((answer, failure) -> answered.countDown());
            TimeUnit.NANOSECONDS.sleep(TimeUnit.SECONDS.toNanos(1) / rate);
        }
        answered.await(warmUp.toSeconds() + 120, TimeUnit.SECONDS);
    }

    private void post(Sent one, Map<String, Object> movement, CountDownLatch answered) {
        one.sentAt = System.nanoTime();
        inventory.postAsync("/api/stock-movements", movement).whenComplete((answer, failure) -> {
            long at = System.nanoTime();
            if (answer != null) {
                one.status = answer.status();
                if (answer.status() == 200) {
                    one.onHand = answer.json().path("stock").path("onHand").asInt();
                }
            } else {
                one.status = -1;
            }
            one.acceptedAt = at;
            answered.countDown();
        });
    }

    private record Baseline(Histogram latencies, long missing) {
    }

    /** The same rate through a bare producer (acks=all, as the outbox relay) to a consumer in this JVM. */
    private Baseline baseline(int rate, Duration duration, Duration drain) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin client = Admin.create(admin)) {
            if (!client.listTopics().names().get(30, TimeUnit.SECONDS).contains(BASELINE_TOPIC)) {
                client.createTopics(List.of(new NewTopic(BASELINE_TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        }
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        long total = rate * duration.toSeconds();
        long[] sentAt = new long[(int) total];
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        String prefix = runId + "-";
        try (Watcher watcher = new Watcher(bootstrap, BASELINE_TOPIC, (record, at) -> {
            if (record.key().startsWith(prefix)) {
                arrivals.putIfAbsent(record.key(), at);
            }
        }); KafkaProducer<String, String> kafka = new KafkaProducer<>(producer)) {
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long start = System.nanoTime();
            for (int n = 0; n < total; n++) {
                long due = start + n * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                sentAt[n] = due;
                kafka.send(new ProducerRecord<>(BASELINE_TOPIC, prefix + n, "{\"n\":" + n + "}"));
            }
            kafka.flush();
            long deadline = System.nanoTime() + drain.toNanos();
            while (System.nanoTime() < deadline && arrivals.size() < total) {
                Thread.sleep(100);
            }
        }
        Histogram latencies = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
        long missing = 0;
        for (int n = 0; n < total; n++) {
            Long at = arrivals.get(prefix + n);
            if (at == null) {
                missing++;
            } else {
                record(latencies, at - sentAt[n]);
            }
        }
        return new Baseline(latencies, missing);
    }

    /** Nanoseconds as microseconds, at least 1 (a record may arrive before its HTTP answer) and within range. */
    private static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.max(1, Math.min(nanos / 1000, histogram.getHighestTrackableValue())));
    }

    private static JsonNode data(String value) {
        try {
            return Inventory.JSON.readTree(value).path("data");
        } catch (IOException e) {
            return Inventory.JSON.missingNode();
        }
    }

    /** A consumer on every partition of a topic, from its end, polling on its own thread until closed. */
    static final class Watcher implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean(true);

        Watcher(String bootstrap, String topic, BiConsumer<ConsumerRecord<String, String>, Long> onRecord) {
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(config);
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(() -> {
                while (running.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                        if (record.key() != null) {
                            onRecord.accept(record, System.nanoTime());
                        }
                    }
                }
                consumer.close();
            }, "watch-" + topic);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
