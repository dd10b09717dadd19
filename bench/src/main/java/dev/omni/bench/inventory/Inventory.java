package dev.omni.bench.inventory;

import dev.omni.bench.BenchAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The running inventory-service as the benchmarks set it up and check it: its HTTP API for test data, and its
 * database (read-only, except scratch tables of the baselines) for what the API does not show.
 */
final class Inventory {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A call's answer: status and body. */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    private final URI base;
    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    Inventory(URI base, String jdbcUrl, String dbUser, String dbPassword) {
        this.base = base;
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    URI base() {
        return base;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    HttpClient http() {
        return http;
    }

    HttpRequest.Builder request(String path) {
        return BenchAuth.authorize(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120)));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))).build());
    }

    Answer get(String path) {
        return send(request(path).GET().build());
    }

    /** POST that must answer one of {@code accepted}. */
    Answer expect(String path, Object body, int... accepted) {
        Answer answer = post(path, body);
        for (int status : accepted) {
            if (answer.status() == status) {
                return answer;
            }
        }
        throw new IllegalStateException("POST " + path + " answered " + answer.status() + ": " + answer.body());
    }

    CompletableFuture<Answer> postAsync(String path, Object body) {
        return http.sendAsync(request(path).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json(body))).build(),
                HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Answer(r.statusCode(), r.body()));
    }

    /** One POST of a batch. */
    record Post(String path, Object body) {
    }

    /** Sends every POST with at most {@code inFlight} at once; the answers in order. */
    List<Answer> postAll(List<Post> posts, int inFlight) {
        Semaphore permits = new Semaphore(inFlight);
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (Post post : posts) {
            permits.acquireUninterruptibly();
            answers.add(postAsync(post.path(), post.body()).whenComplete((answer, failure) -> permits.release()));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The quantities of a sku at a location, as the API answers them. */
    JsonNode stock(String sku, String locationId) {
        Answer answer = get("/api/stock/" + sku + "/" + locationId);
        if (answer.status() != 200) {
            throw new IllegalStateException("stock of " + sku + "@" + locationId + ": " + answer.status());
        }
        return answer.json();
    }

    void createSku(String sku, String productId, String size) {
        expect("/api/skus", Map.of("sku", sku, "productId", productId, "name", "Bench " + sku,
                "attributes", Map.of("size", size)), 201);
    }

    /** Receipts in batches of up to 500 (the API's limit), each applied all or nothing. */
    void receive(List<Map<String, Object>> movements) {
        for (int from = 0; from < movements.size(); from += 500) {
            Answer answer = post("/api/stock-movements", movements.subList(from, Math.min(movements.size(), from + 500)));
            if (answer.status() != 200) {
                throw new IllegalStateException("receipts answered " + answer.status() + ": " + answer.body());
            }
        }
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
    }

    /** One row of a query, as longs. */
    long[] queryLongs(String sql, Object... parameters) {
        try (Connection db = database(); PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no row: " + sql);
                }
                long[] values = new long[row.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = row.getLong(i + 1);
                }
                return values;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    void execute(String... statements) {
        try (Connection db = database(); var statement = db.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(String.join("; ", statements), e);
        }
    }
}
