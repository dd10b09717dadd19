package dev.omni.messaging.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Local HTTP servers standing in for the SMS (Twilio), push (FCM) and chat (WhatsApp Cloud) providers. Each provider
 * has a path prefix; a test scripts failures ({@link #failNext}, {@link #hangNext}) and reads what arrived.
 */
public final class ProviderStubs implements AutoCloseable {

    /** One request a provider received. */
    public record Received(String provider, String method, String path, Map<String, List<String>> headers,
            String body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Received> accepted = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Integer>> scripted = new ConcurrentHashMap<>();

    public ProviderStubs() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    public String url(String provider) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + provider;
    }

    /** The next {@code times} requests to {@code provider} answer {@code status}. */
    public void failNext(String provider, int status, int times) {
        for (int i = 0; i < times; i++) {
            scripted.computeIfAbsent(provider, p -> new ConcurrentLinkedQueue<>()).add(status);
        }
    }

    /** The next {@code times} requests to {@code provider} get no answer for 8 s. */
    public void hangNext(String provider, int times) {
        failNext(provider, -1, times);
    }

    public List<Received> received(String provider) {
        return received.stream().filter(r -> r.provider().equals(provider)).toList();
    }

    /**
     * Requests to {@code provider} whose body contains {@code text} and that it answered with success: the messages it
     * took on (a request it never answered, or refused, is not among them).
     */
    public List<Received> acceptedWith(String provider, String text) {
        return accepted.stream().filter(r -> r.provider().equals(provider) && r.body().contains(text)).toList();
    }

    /** Requests to {@code provider} whose body contains {@code text}. */
    public List<Received> receivedWith(String provider, String text) {
        return received(provider).stream().filter(r -> r.body().contains(text)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String provider = path.split("/")[1];
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Integer status = scripted.getOrDefault(provider, new ConcurrentLinkedQueue<>()).poll();
        Received request = new Received(provider, exchange.getRequestMethod(), path,
                Map.copyOf(exchange.getRequestHeaders()), body);
        received.add(request);
        if (status != null && status == -1) {
            sleep();
            exchange.close();
            return;
        }
        if (status != null) {
            respond(exchange, status, "{\"error\":\"scripted failure\"}");
            return;
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        String answer;
        if (path.contains("/Messages.json")) {
            answer = "{\"sid\":\"SM" + id + "\",\"status\":\"queued\"}";
        } else if (path.contains("messages:send")) {
            answer = "{\"name\":\"projects/omni/messages/" + id + "\"}";
        } else {
            answer = "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid." + id + "\"}]}";
        }
        respond(exchange, path.contains("/Messages.json") ? 201 : 200, answer);
        accepted.add(request);
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void sleep() {
        try {
            Thread.sleep(8_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
