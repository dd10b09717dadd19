package dev.omni.profile;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import io.restassured.response.ValidatableResponse;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/** Shared test fixtures: ingest events, read what the service published, fire requests in parallel. */
final class Api {

    static final Duration PUBLISHED_WITHIN = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Api() {
    }

    /** Posts one event and returns its result (status 202 asserted). */
    static ValidatableResponse ingest(String json) {
        return given().contentType("application/json").body(json).post("/api/events").then().statusCode(202);
    }

    /** Posts one event that must be accepted; returns the profile it resolved to. */
    static String accepted(String json) {
        return ingest(json).body("results[0].status", is("ACCEPTED")).extract().path("results[0].profileId");
    }

    static String page(String channel, String anonymousId) {
        return accepted("""
                {"type":"page","channel":"%s","identifiers":{"anonymousId":"%s"},"properties":{"path":"/"}}
                """.formatted(channel, anonymousId));
    }

    /**
     * The events published on {@code topic} under {@code key}, waiting until {@code until} holds for them.
     * Tests of one class share a broker, so records are told apart by key.
     */
    static List<CloudEvent<?>> published(KafkaCompanion kafka, String topic, String key,
            Predicate<List<CloudEvent<?>>> until) {
        try (ConsumerTask<String, String> task = kafka.consumeStrings().fromTopics(topic)) {
            return await().atMost(PUBLISHED_WITHIN).until(() -> {
                List<CloudEvent<?>> events = new ArrayList<>();
                for (ConsumerRecord<String, String> record : task.getRecords()) {
                    if (key.equals(record.key())) {
                        events.add(EventCodec.decode(record.value()));
                    }
                }
                return events;
            }, until);
        }
    }

    static Predicate<List<CloudEvent<?>>> hasType(String type) {
        return events -> events.stream().anyMatch(e -> e.type().equals(type));
    }

    static List<CloudEvent<?>> ofType(List<CloudEvent<?>> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    /** Sends {@code bodies} to {@code url} all at once; returns status and body of each, in order. */
    static List<HttpResponse<String>> parallel(String method, URI url, List<String> bodies, String idempotencyKey)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Callable<HttpResponse<String>>> calls = bodies.stream().<Callable<HttpResponse<String>>>map(body -> () -> {
                start.await();
                HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30));
                if (idempotencyKey != null) {
                    request.header("Idempotency-Key", idempotencyKey);
                }
                return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }).toList();
            List<Future<HttpResponse<String>>> futures = calls.stream().map(pool::submit).toList();
            start.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }
}
