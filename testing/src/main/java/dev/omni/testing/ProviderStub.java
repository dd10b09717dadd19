package dev.omni.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One local HTTP server standing in for messaging-service's SMS and push providers, answering as they do and keeping
 * every request it received: Twilio ({@code POST /sms/2010-04-01/Accounts/{account}/Messages.json}, a form with
 * {@code To}, {@code From}, {@code Body}, answered 201 with a {@code sid}) and FCM HTTP v1
 * ({@code POST /push/v1/projects/{project}/messages:send}, {@code {"message":{"token","notification","data"}}},
 * answered 200 with a message {@code name}). Anything else is answered 404 and kept too, so a wrong request shape
 * shows in a test. {@link #config()} is messaging-service's configuration for the two providers.
 */
public final class ProviderStub implements AutoCloseable {

    /** Twilio's account and FCM's project as configured for messaging-service. */
    public static final String TWILIO_ACCOUNT = "AC-e2e";
    public static final String FCM_PROJECT = "omni-e2e";

    /** One request a provider received: {@code provider} is {@code sms} or {@code push}. */
    public record Request(String provider, String method, String path, Map<String, List<String>> headers,
            String body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** The body as a form ({@code application/x-www-form-urlencoded}, as Twilio receives it). */
        public Map<String, String> form() {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    String key = eq < 0 ? pair : pair.substring(0, eq);
                    String value = eq < 0 ? "" : pair.substring(eq + 1);
                    fields.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
                            URLDecoder.decode(value, StandardCharsets.UTF_8));
                }
            }
            return fields;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Request> received = new CopyOnWriteArrayList<>();

    public ProviderStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT} */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** messaging-service's provider configuration: SMS {@code twilio-stub} (Twilio), push {@code fcm-stub} (FCM v1). */
    public Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        String sms = "omni.messaging.providers.twilio-stub.";
        config.put(sms + "channel", "sms");
        config.put(sms + "protocol", "twilio");
        config.put(sms + "url", url() + "/sms");
        config.put(sms + "account", TWILIO_ACCOUNT);
        config.put(sms + "token", "twilio-e2e-token");
        config.put(sms + "sender", "+15550000001");
        config.put(sms + "webhook-secret", "twilio-e2e-token");
        String push = "omni.messaging.providers.fcm-stub.";
        config.put(push + "channel", "push");
        config.put(push + "protocol", "fcm");
        config.put(push + "url", url() + "/push");
        config.put(push + "account", FCM_PROJECT);
        config.put(push + "token", "fcm-e2e-access-token");
        return config;
    }

    /** Every request received so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(received);
    }

    /** The requests to {@code provider} ({@code sms} or {@code push}) whose body contains {@code text}. */
    public List<Request> requests(String provider, String text) {
        return received.stream().filter(r -> r.provider().equals(provider) && r.body().contains(text)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] segments = path.split("/");
        String provider = segments.length > 1 ? segments[1] : "";
        received.add(new Request(provider, exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()),
                body));
        String id = UUID.randomUUID().toString().replace("-", "");
        if ("POST".equals(exchange.getRequestMethod()) && provider.equals("sms")
                && path.equals("/sms/2010-04-01/Accounts/" + TWILIO_ACCOUNT + "/Messages.json")) {
            respond(exchange, 201, "{\"sid\":\"SM" + id + "\",\"status\":\"queued\"}");
        } else if ("POST".equals(exchange.getRequestMethod()) && provider.equals("push")
                && path.equals("/push/v1/projects/" + FCM_PROJECT + "/messages:send")) {
            respond(exchange, 200, "{\"name\":\"projects/" + FCM_PROJECT + "/messages/" + id + "\"}");
        } else {
            respond(exchange, 404, "{\"error\":\"no such provider endpoint: " + path + "\"}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
