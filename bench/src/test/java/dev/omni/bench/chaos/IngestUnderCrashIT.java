package dev.omni.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omni.testing.KafkaProcess;
import dev.omni.testing.PostgresResource;
import dev.omni.testing.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
 * Issue #8's first reliability story: events are ingested while the profile service and then the broker are
 * {@code kill -9}ed and started again mid-stream. The client does what a storefront SDK does (resend a batch until
 * it is answered 202, same messageIds); afterwards every event is on {@code omni.interactions} (0 lost) and each
 * messageId under exactly one event id (0 net duplicates: a redelivered record keeps its id, which consumers dedupe).
 * <p>
 * Size: {@code -Dchaos.events} (10,000 in the test command; {@code bench/chaos/run} uses 100,000).
 */
class IngestUnderCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = Integer.getInteger("chaos.events", 10_000);
    private static final int BATCH = 100;
    private static final int SENDERS = 4;
    private static final Duration DRAIN_WITHIN = Duration.ofSeconds(Long.getLong("chaos.drain-seconds", 240));
    private static final Path PROFILE_JAR = Path.of("..", "profile-service", "target", "quarkus-app", "quarkus-run.jar");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger nextBatch = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicLong resends = new AtomicLong();

    @Test
    void noEventIsLostOrDoubledWhenTheServiceAndTheBrokerCrashMidStream() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        PostgresResource database = new PostgresResource();
        try (KafkaProcess kafka = KafkaProcess.start()) {
            Map<String, String> config = new HashMap<>(database.start());
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            try (ServiceProcess profile = ServiceProcess.start("profile", PROFILE_JAR, config)) {
                int batches = EVENTS / BATCH;
                ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
                List<Future<?>> sending = new ArrayList<>();
                for (int i = 0; i < SENDERS; i++) {
                    sending.add(senders.submit(() -> send(profile.url(), run, batches)));
                }
                awaitAnswered(batches * 3 / 10);
                profile.kill();
                long killedAt = answered.get();
                profile.restart();
                System.out.printf("chaos: profile-service killed -9 after %d of %d batches and restarted%n",
                        killedAt, batches);

                awaitAnswered(batches * 6 / 10);
                kafka.kill();
                System.out.printf("chaos: broker killed -9 after %d of %d batches; ingestion goes on%n",
                        answered.get(), batches);
                Thread.sleep(3000);
                kafka.restart();
                System.out.println("chaos: broker restarted");

                for (Future<?> sender : sending) {
                    sender.get(10, TimeUnit.MINUTES);
                }
                senders.shutdown();

                Seen seen = readInteractions(kafka.bootstrapServers(), run);
                Set<String> lost = new HashSet<>();
                for (int i = 0; i < EVENTS; i++) {
                    if (!seen.eventIds.containsKey(messageId(run, i))) {
                        lost.add(messageId(run, i));
                    }
                }
                long doubled = seen.eventIds.values().stream().filter(ids -> ids.size() > 1).count();
                System.out.printf("chaos: %d events sent (%d batch resends); on omni.interactions %d records, "
                                + "%d distinct event ids, %d messageIds; lost %d, net duplicates %d, redelivered "
                                + "copies (same id) %d%n", EVENTS, resends.get(), seen.records, seen.distinctIds(),
                        seen.eventIds.size(), lost.size(), doubled, seen.records - seen.distinctIds());
                assertThat(lost).as("events lost").isEmpty();
                assertThat(doubled).as("messageIds published under more than one event id").isZero();
            }
        } finally {
            database.stop();
        }
    }

    /** Sends batches until none is left; a batch is sent again (same messageIds) until it is answered 202. */
    private Void send(String url, String run, int batches) throws Exception {
        for (int batch = nextBatch.getAndIncrement(); batch < batches; batch = nextBatch.getAndIncrement()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/events?wait=false"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(run, batch))).build();
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

    private static String body(String run, int batch) {
        StringBuilder json = new StringBuilder("[");
        for (int i = batch * BATCH; i < (batch + 1) * BATCH; i++) {
            if (json.length() > 1) {
                json.append(',');
            }
            // 50 visitors per run: resolution creates some profiles and finds the others again
            json.append("""
                    {"type":"track","event":"product_viewed","channel":"web","messageId":"%s",
                     "identifiers":{"anonymousId":"chaos-%s-%d"},"properties":{"sku":"SKU-%d"}}"""
                    .formatted(messageId(run, i), run, i % 50, i % 7));
        }
        return json.append(']').toString();
    }

    private static String messageId(String run, int i) {
        return "chaos-" + run + "-" + i;
    }

    private void awaitAnswered(int batches) throws InterruptedException {
        while (answered.get() < batches) {
            Thread.sleep(20);
        }
    }

    private record Seen(Map<String, Set<String>> eventIds, long records) {
        long distinctIds() {
            return eventIds.values().stream().mapToLong(Set::size).sum();
        }
    }

    /** Reads omni.interactions from the start until every messageId of the run is there or the time is up. */
    private static Seen readInteractions(String bootstrap, String run) throws Exception {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Map<String, Set<String>> eventIds = new HashMap<>();
        long records = 0;
        String prefix = "chaos-" + run + "-";
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor("omni.interactions", Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + DRAIN_WITHIN.toNanos();
            while (eventIds.size() < EVENTS && System.nanoTime() < deadline) {
                records += poll(consumer, prefix, eventIds);
            }
            // what arrives shortly after the last one would be a duplicate: keep reading a little longer
            long tail = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < tail) {
                records += poll(consumer, prefix, eventIds);
            }
        }
        return new Seen(eventIds, records);
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
