package dev.omni.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** On a real Vert.x HTTP server: two slow requests in flight, the third is refused at once, then served again. */
class LoadSheddingTest {

    /**
     * HTTP/1.1, a connection per request in flight, as the services' clients call: over HTTP/2 (the JDK client's
     * default, upgraded by Vert.x) all requests share one connection, and closing a held request's connection sent
     * GOAWAY to the requests the test sends next (seen in CI: "GOAWAY received"). The held requests are POSTs: the JDK
     * client sends a GET again on a new connection when its connection closes, which the server would hold as a
     * third request.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Vertx vertx;
    private HttpServer server;
    private final List<RoutingContext> held = new CopyOnWriteArrayList<>();
    private SimpleMeterRegistry registry;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        LoadShedding shedding = new LoadShedding(() -> 2, registry);
        Router router = Router.router(vertx);
        shedding.register(router);
        // /api/slow answers only when the test lets it; /api/fast at once
        router.route("/api/slow").handler(held::add);
        router.route("/api/fast").handler(rc -> rc.response().end("fast"));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRequestBeyondTheLimitIsRefusedWith503ProblemAndTheServiceRecovers() throws Exception {
        CompletableFuture<HttpResponse<String>> first = send("POST", "/api/slow");
        CompletableFuture<HttpResponse<String>> second = send("POST", "/api/slow");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (held.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(held).hasSize(2);

        HttpResponse<String> refused = send("/api/fast").get(10, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = new ObjectMapper().readTree(refused.body());
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("instance").asText()).isEqualTo("/api/fast");
        assertThat(registry.get("omni.http.shed").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("omni.http.in-flight").gauge().value()).isEqualTo(2.0);

        // the held requests end: one normally, one by its client going away; both give their place back
        held.get(0).response().end("slow");
        HttpResponse<?> ended = (HttpResponse<?>) CompletableFuture.anyOf(first, second).get(10, TimeUnit.SECONDS);
        assertThat(ended.statusCode()).isEqualTo(200);
        held.get(1).request().connection().close();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.get("omni.http.in-flight").gauge().value() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(registry.get("omni.http.in-flight").gauge().value()).isZero();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> served = send("/api/fast").get(10, TimeUnit.SECONDS);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo("fast");
        }
        assertThat(registry.get("omni.http.in-flight").gauge().value()).isZero();
    }

    @Test
    void zeroTurnsSheddingOff() throws Exception {
        LoadShedding none = new LoadShedding(() -> 0, new SimpleMeterRegistry());
        Router router = Router.router(vertx);
        none.register(router);
        router.route("/api/fast").handler(rc -> rc.response().end("fast"));
        HttpServer open = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        HttpResponse<String> served = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + open.actualPort() + "/api/fast")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).as("max-in-flight 0 turns shedding off").isEqualTo(200);
    }

    private CompletableFuture<HttpResponse<String>> send(String path) {
        return send("GET", path);
    }

    private CompletableFuture<HttpResponse<String>> send(String method, String path) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
