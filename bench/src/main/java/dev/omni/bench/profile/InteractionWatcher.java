package dev.omni.bench.profile;

import dev.omni.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads {@code omni.interactions} from its end as it stands when started (every partition, no consumer group, so the
 * services' own consumers are untouched) and tells the {@link Ledger} whose prefix a record's messageId carries that
 * it arrived, stamped with {@link System#nanoTime()} when the poll returned — the same clock the load generator
 * stamps answers with, in the same JVM.
 */
final class InteractionWatcher implements AutoCloseable {

    private static final String MESSAGE_ID = "\"messageId\":\"";

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String runPrefix;
    private final Map<String, Ledger> ledgers = new ConcurrentHashMap<>();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong matchedBytes = new AtomicLong();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private int partitions;

    InteractionWatcher(String bootstrap, String runPrefix) {
        this.runPrefix = runPrefix;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-profile-ingest");
        consumer = new KafkaConsumer<>(props);
        thread = new Thread(this::run, "interaction-watcher");
        thread.setDaemon(true);
    }

    /** Starts reading and returns once every partition's position is fixed at its current end. */
    InteractionWatcher start() throws InterruptedException {
        thread.start();
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not position a consumer on " + Topics.INTERACTIONS);
        }
        if (failure != null) {
            throw failure;
        }
        return this;
    }

    void watch(Ledger ledger) {
        ledgers.put(ledger.prefix, ledger);
    }

    int partitions() {
        return partitions;
    }

    /** Average bytes (key + value) of the records of this run seen so far. */
    long averageRecordBytes() {
        long n = matched.get();
        return n == 0 ? 0 : matchedBytes.get() / n;
    }

    private void run() {
        try {
            List<TopicPartition> all = consumer.partitionsFor(Topics.INTERACTIONS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            partitions = all.size();
            consumer.assign(all);
            consumer.seekToEnd(all);
            all.forEach(consumer::position);
        } catch (RuntimeException e) {
            failure = e;
            ready.countDown();
            consumer.close();
            return;
        }
        ready.countDown();
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    handle(record, now);
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, long now) {
        if (record.value() == null) {
            return;
        }
        String value = new String(record.value(), StandardCharsets.UTF_8);
        String messageId = messageId(value, runPrefix);
        if (messageId == null) {
            return;
        }
        matched.incrementAndGet();
        matchedBytes.addAndGet(record.value().length + (record.key() == null ? 0 : record.key().length));
        for (Ledger ledger : ledgers.values()) {
            if (messageId.startsWith(ledger.prefix)) {
                ledger.seen(messageId, now);
            }
        }
    }

    /** The {@code messageId} of a CloudEvent's JSON when it starts with {@code prefix}, else null. */
    static String messageId(String json, String prefix) {
        int at = json.indexOf(MESSAGE_ID + prefix);
        if (at < 0) {
            return null;
        }
        int from = at + MESSAGE_ID.length();
        int end = json.indexOf('"', from);
        return end < 0 ? null : json.substring(from, end);
    }

    /** Throws what stopped the consumer, if anything did. */
    void check() {
        if (failure != null) {
            throw new IllegalStateException("the consumer of " + Topics.INTERACTIONS + " failed", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
