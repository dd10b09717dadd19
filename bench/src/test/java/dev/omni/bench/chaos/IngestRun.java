package dev.omni.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the ingestion chaos tests share: a client that sends {@code events} events in batches of 100 to profile-service
 * the way a storefront SDK does (a batch is sent again, same messageIds, until it is answered 202), and the check
 * afterwards that every event is on {@code omni.interactions} (0 lost) under exactly one event id (0 net duplicates:
 * a redelivered record keeps its id, which consumers dedupe).
 */
final class IngestRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 100;
    private static final int SENDERS = 4;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String url;
    private final int events;
    private final AtomicInteger nextBatch = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicLong resends = new AtomicLong();
    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    private final List<Future<?>> sending = new ArrayList<>();

    IngestRun(String profileUrl, int events) {
        this.url = profileUrl;
        this.events = events;
    }

    int batches() {
        return events / BATCH;
    }

    int answered() {
        return answered.get();
    }

    IngestRun start() {
        for (int i = 0; i < SENDERS; i++) {
            sending.add(senders.submit(this::send));
        }
        return this;
    }

    /** Returns once {@code fraction} of the batches have been answered 202. */
    void awaitAnswered(double fraction) throws InterruptedException {
        while (answered.get() < batches() * fraction) {
            Thread.sleep(20);
        }
    }

    void finish() throws Exception {
        for (Future<?> sender : sending) {
            sender.get(10, TimeUnit.MINUTES);
        }
        senders.shutdown();
    }

    /** Reads omni.interactions, prints what it saw and asserts 0 lost and 0 net duplicates. */
    void assertEveryEventPublishedOnce(String bootstrap, Duration drainWithin) throws Exception {
        Map<String, Set<String>> eventIds = new HashMap<>();
        long records = read(bootstrap, drainWithin, eventIds);
        Set<String> lost = new HashSet<>();
        for (int i = 0; i < events; i++) {
            if (!eventIds.containsKey(messageId(i))) {
                lost.add(messageId(i));
            }
        }
        long distinctIds = eventIds.values().stream().mapToLong(Set::size).sum();
        long doubled = eventIds.values().stream().filter(ids -> ids.size() > 1).count();
        System.out.printf("chaos: %d events sent (%d batch resends); on omni.interactions %d records, %d distinct "
                        + "event ids, %d messageIds; lost %d, net duplicates %d, redelivered copies (same id) %d%n",
                events, resends.get(), records, distinctIds, eventIds.size(), lost.size(), doubled,
                records - distinctIds);
        assertThat(lost).as("events lost").isEmpty();
        assertThat(doubled).as("messageIds published under more than one event id").isZero();
    }

    private Void send() throws Exception {
        for (int batch = nextBatch.getAndIncrement(); batch < batches(); batch = nextBatch.getAndIncrement()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/events?wait=false"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(batch))).build();
            for (int attempt = 1; ; attempt++) {
                try {
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 202) {
                        break;
                    }
                    assertThat(answer.statusCode()).as("batch %d: %s", batch, answer.body()).isGreaterThanOrEqualTo(500);
                } catch (IOException crashedOrRestarting) {
                    // the connection died with the process, or nobody listens yet: send it again
                }
                resends.incrementAndGet();
                assertThat(attempt).as("batch %d still unanswered", batch).isLessThan(600);
                Thread.sleep(200);
            }
            answered.incrementAndGet();
        }
        return null;
    }

    private String body(int batch) {
        StringBuilder json = new StringBuilder("[");
        for (int i = batch * BATCH; i < (batch + 1) * BATCH; i++) {
            if (json.length() > 1) {
                json.append(',');
            }
            // 50 visitors per run: resolution creates some profiles and finds the others again
            json.append("""
                    {"type":"track","event":"product_viewed","channel":"web","messageId":"%s",
                     "identifiers":{"anonymousId":"chaos-%s-%d"},"properties":{"sku":"SKU-%d"}}"""
                    .formatted(messageId(i), run, i % 50, i % 7));
        }
        return json.append(']').toString();
    }

    private String messageId(int i) {
        return "chaos-" + run + "-" + i;
    }

    /** Reads omni.interactions from the start until every messageId of the run is there or the time is up. */
    private long read(String bootstrap, Duration drainWithin, Map<String, Set<String>> eventIds) throws Exception {
        long records = 0;
        String prefix = "chaos-" + run + "-";
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000))) {
            long deadline = System.nanoTime() + drainWithin.toNanos();
            List<TopicPartition> partitions = partitions(consumer, "omni.interactions", deadline);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (eventIds.size() < events && System.nanoTime() < deadline) {
                records += poll(consumer, prefix, eventIds);
            }
            // what arrives shortly after the last one would be a duplicate: keep reading a little longer
            long tail = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < tail) {
                records += poll(consumer, prefix, eventIds);
            }
        }
        return records;
    }

    /**
     * The topic's partitions once it exists: the 202s come before the resolver and the outbox relay have published
     * anything, so on a fast machine the first publish (which creates the topic) may still be ahead.
     */
    static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic, long deadline)
            throws InterruptedException {
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (!partitions.isEmpty() || System.nanoTime() > deadline) {
                assertThat(partitions).as(topic + " exists").isNotEmpty();
                return partitions;
            }
            Thread.sleep(500);
        }
    }

    /** One poll: notes the event id of every record of the run under its messageId; returns how many there were. */
    private static int poll(KafkaConsumer<String, String> consumer, String prefix, Map<String, Set<String>> eventIds)
            throws IOException {
        int records = 0;
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
            JsonNode event = JSON.readTree(record.value());
            String messageId = event.path("data").path("messageId").asText("");
            if (messageId.startsWith(prefix)) {
                records++;
                eventIds.computeIfAbsent(messageId, m -> new HashSet<>()).add(event.path("id").asText());
            }
        }
        return records;
    }
}
