package dev.omni.bench;

import dev.omni.bench.HttpLoad.Call;
import dev.omni.bench.HttpLoad.Parallel;
import dev.omni.bench.HttpLoad.Request;
import dev.omni.bench.HttpLoad.Result;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** The load generator counts what the servers really answered: statuses, parallel requests, labels, other hosts. */
class HttpLoadTest {

    static Vertx vertx;
    static HttpServer first;
    static HttpServer second;
    static final AtomicLong firstHits = new AtomicLong();
    static final AtomicLong secondHits = new AtomicLong();

    @BeforeAll
    static void servers() {
        vertx = Vertx.vertx();
        first = vertx.createHttpServer().requestHandler(request -> {
            firstHits.incrementAndGet();
            request.response().setStatusCode(request.path().equals("/missing") ? 404 : 200).end("first");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        second = vertx.createHttpServer().requestHandler(request -> {
            secondHits.incrementAndGet();
            request.response().setStatusCode(202).end("second");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aParallelRequestIsOneRequestWithTheFirstBadStatusAndReachesEveryServer() {
        String other = "http://127.0.0.1:" + second.actualPort();
        LongFunction<Request> mix = n -> switch ((int) (n % 3)) {
            case 0 -> Call.get("/ok").labelled("ok");
            case 1 -> new Parallel("page", List.of(Call.get("/ok"), Call.get(other + "/part")));
            default -> new Parallel("broken", List.of(Call.get(other + "/part"), Call.get("/missing")));
        };
        long firstBefore = firstHits.get();
        long secondBefore = secondHits.get();
        try (HttpLoad load = new HttpLoad(URI.create("http://127.0.0.1:" + first.actualPort()), 4)) {
            Result result = load.fixedRate(mix, 300, Duration.ofSeconds(1));

            assertThat(result.completed()).isEqualTo(300);
            // 100 plain 200s, 100 pages whose first non-2xx is none (so the first status, 200), 100 broken → 404
            assertThat(result.statuses()).containsEntry(200, 200L).containsEntry(404, 100L).hasSize(2);
            assertThat(result.ok()).isEqualTo(200);
            assertThat(result.latencyMicrosByLabel().keySet()).containsExactly("broken", "ok", "page");
            assertThat(result.latencyMicrosByLabel().get("page").getTotalCount()).isEqualTo(100);
            assertThat(result.millis("page", 50)).isPositive();
            assertThat(result.millis("unknown", 50)).isNaN();
        }
        assertThat(firstHits.get() - firstBefore).isEqualTo(300);
        assertThat(secondHits.get() - secondBefore).isEqualTo(200);
    }
}
