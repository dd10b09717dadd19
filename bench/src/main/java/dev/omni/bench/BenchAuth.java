package dev.omni.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bearer token a benchmark sends when it calls a service straight: the services check the token of every
 * {@code /api} call again ({@code omni.auth.enabled}, on in {@code ./omni up}). {@code bench/lib.sh} passes
 * {@code -Dbench.token-url}, {@code -Dbench.client-id} and {@code -Dbench.client-secret} (client credentials of realm
 * omni); the token is fetched at start and renewed every few minutes, well inside its 15-minute lifetime, so a long
 * run never turns into 401s. Without those properties no header is sent.
 */
public final class BenchAuth {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration RENEW_EVERY = Duration.ofMinutes(4);
    private static volatile String header;

    static {
        String url = System.getProperty("bench.token-url");
        if (url != null && !url.isBlank()) {
            String client = System.getProperty("bench.client-id", "omni-admin");
            String secret = System.getProperty("bench.client-secret", client + "-secret");
            header = "Bearer " + fetch(url, client, secret);
            ScheduledExecutorService renew = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "bench-token-renewal");
                thread.setDaemon(true);
                return thread;
            });
            renew.scheduleAtFixedRate(() -> {
                try {
                    header = "Bearer " + fetch(url, client, secret);
                } catch (RuntimeException e) {
                    System.err.println("bench: token renewal failed, keeping the current one: " + e.getMessage());
                }
            }, RENEW_EVERY.toSeconds(), RENEW_EVERY.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private BenchAuth() {
    }

    /** {@code Authorization} header value, when the run was given a client to get tokens for. */
    public static Optional<String> header() {
        return Optional.ofNullable(header);
    }

    /** Adds the {@code Authorization} header to a request being built, when there is one. */
    public static HttpRequest.Builder authorize(HttpRequest.Builder request) {
        header().ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    private static String fetch(String url, String client, String secret) {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(client, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher token = ACCESS_TOKEN.matcher(answer.body());
            if (answer.statusCode() != 200 || !token.find()) {
                throw new IllegalStateException("no token for " + client + " from " + url + ": " + answer.statusCode()
                        + " " + answer.body());
            }
            return token.group(1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no token for " + client + " from " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
