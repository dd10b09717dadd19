package dev.omni.bench.storefront;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omni.bench.Args;
import dev.omni.bench.HttpLoad;
import dev.omni.bench.HttpLoad.Call;
import dev.omni.bench.HttpLoad.Parallel;
import dev.omni.bench.HttpLoad.Request;
import dev.omni.bench.HttpLoad.Result;
import dev.omni.bench.Report;
import io.vertx.core.http.HttpMethod;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;

/**
 * The end-to-end storefront mix of issue #8: what a web shop and an app do for a signed-in customer, through the
 * gateway (customer token: JWT validation, own-data checks, rate limiter, composition), beside the same operations
 * sent by the client straight to the services (the page composed by the client itself, no gateway) in the same run.
 * <p>
 * The mix, by share of requests: 35 % "which sizes are near me" for a product, 25 % a tracked product view, 20 % the
 * customer's 360 ({@code /api/me}: profile, cart, favourites, loyalty, consents, reservations), 15 % the cart, 5 % a
 * click &amp; collect reservation. Each side gets a closed loop (most requests per second) and a fixed rate (open loop,
 * latencies from when each request was due) overall and per operation. Every answer must be 2xx.
 */
public final class StorefrontMix {

    static final String PRODUCT = "BENCH-SF-SHOE";
    static final List<String> SIZES = List.of("40", "41", "42", "43", "44", "45");
    static final int STORES = 12;
    static final double LAT = 52.5200;
    static final double LNG = 13.4050;
    static final String NEAR = LAT + "," + LNG;
    static final List<String> OPERATIONS = List.of("near-me", "track", "me", "cart", "reserve");

    private static final ObjectMapper JSON = new ObjectMapper();

    private StorefrontMix() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        URI gateway = URI.create(args.string("gateway", "http://127.0.0.1:18080"));
        URI profile = URI.create(args.string("profile", "http://127.0.0.1:8081"));
        URI inventory = URI.create(args.string("inventory", "http://127.0.0.1:8082"));
        String customerToken = required(args, "customer-token");
        String serviceToken = required(args, "service-token");
        String email = args.string("email", "anna@example.com");
        int connections = args.integer("connections", 32);
        int seconds = args.integer("seconds", 20);
        int warmup = args.integer("warmup-seconds", 10);
        int rate = args.integer("rate", 100);
        int rateSeconds = args.integer("rate-seconds", 20);
        String run = UUID.randomUUID().toString().substring(0, 8);

        Seed seed = new Seed(profile, inventory, serviceToken);
        String profileId = seed.all(email);
        seed.awaitGatewaySees(gateway, customerToken);
        System.out.printf("seeded: %d stores x %d sizes of %s near %s; customer %s = profile %s%n", STORES,
                SIZES.size(), PRODUCT, NEAR, email, profileId);

        Mix viaGateway = new Mix(run + "-g", profileId, "Bearer " + customerToken, null, null);
        Mix direct = new Mix(run + "-d", profileId, "Bearer " + serviceToken, profile, inventory);
        List<String> failures = new ArrayList<>();
        // both sides warm up before either is measured: the side measured first would otherwise pay the services'
        // JIT warm-up alone (seen: the services shed and the gateway's breaker opened on a suite just started)
        warm("gateway", gateway, viaGateway::request, connections, warmup);
        warm("direct", profile, direct::request, connections, warmup);
        Measured g = measure("gateway", gateway, viaGateway::request, connections, seconds, rate, rateSeconds,
                failures);
        Measured d = measure("direct", profile, direct::request, connections, seconds, rate, rateSeconds, failures);
        report(g, d, connections, seconds, rate, rateSeconds, failures);
        if (!failures.isEmpty()) {
            System.exit(1);
        }
    }

    private static String required(Args args, String name) {
        String value = args.string(name, "");
        if (value.isBlank()) {
            throw new IllegalArgumentException("--" + name + "=... is required");
        }
        return value;
    }

    /** Connections per host the fixed-rate phase may open: far above what its rate keeps in flight. */
    private static final int OPEN_LOOP_CONNECTIONS = 512;

    record Measured(String name, Result throughput, Result fixed) {
    }

    private static void warm(String name, URI base, LongFunction<Request> mix, int connections, int warmup) {
        try (HttpLoad load = new HttpLoad(base, connections)) {
            System.out.printf("%s: warm-up %d s%n", name, warmup);
            load.closedLoop(mix, connections, Duration.ofSeconds(warmup));
        }
    }

    private static Measured measure(String name, URI base, LongFunction<Request> mix, int connections, int seconds,
            int rate, int rateSeconds, List<String> failures) {
        // the closed loop keeps `connections` requests in flight whatever the pool; the fixed rate must never wait
        // for a pooled connection (an open loop's latency would then be the pool's queue): the client pools per
        // host, so straight to the services had twice the connections the gateway side had
        try (HttpLoad load = new HttpLoad(base, Math.max(connections, OPEN_LOOP_CONNECTIONS))) {
            Result throughput = load.closedLoop(mix, connections, Duration.ofSeconds(seconds));
            System.out.println("  closed loop, " + connections + " connections: " + throughput.summary());
            Result fixed = load.fixedRate(mix, rate, Duration.ofSeconds(rateSeconds));
            System.out.println("  fixed " + rate + "/s: " + fixed.summary());
            check(name, "closed loop", throughput, failures);
            check(name, "fixed rate", fixed, failures);
            return new Measured(name, throughput, fixed);
        }
    }

    private static void check(String name, String phase, Result result, List<String> failures) {
        long notOk = result.completed() - result.ok();
        if (notOk > 0 || result.failures() > 0) {
            failures.add("%s, %s: %d of %d answers were not 2xx %s, %d connection failures".formatted(name, phase,
                    notOk, result.completed(), result.statuses(), result.failures()));
        }
    }

    /**
     * The mix, deterministic by sequence number. {@code profileBase}/{@code inventoryBase} null: through the gateway
     * (paths relative to it); otherwise straight to the services, composing {@code /api/me} itself as the gateway
     * does.
     */
    record Mix(String run, String profileId, String authorization, URI profileBase, URI inventoryBase) {

        Request request(long n) {
            String operation = operation(n);
            String size = SIZES.get((int) (n % SIZES.size()));
            String sku = PRODUCT + "-" + size;
            boolean gateway = profileBase == null;
            String profile = gateway ? null : profileBase + "/api/profiles/" + profileId;
            return switch (operation) {
                case "near-me" -> call(HttpMethod.GET, gateway
                        ? "/api/products/" + PRODUCT + "/availability?near=" + NEAR + "&radiusKm=50"
                        : inventoryBase + "/api/availability?productId=" + PRODUCT + "&near=" + NEAR + "&radiusKm=50",
                        null, operation);
                case "track" -> call(HttpMethod.POST, gateway ? "/api/events" : profileBase + "/api/events",
                        trackEvent(run + "-" + n, sku), operation);
                case "me" -> gateway ? call(HttpMethod.GET, "/api/me", null, operation)
                        : new Parallel(operation, List.of(
                                call(HttpMethod.GET, profile, null, null),
                                call(HttpMethod.GET, profile + "/cart", null, null),
                                call(HttpMethod.GET, profile + "/favourites", null, null),
                                call(HttpMethod.GET, profile + "/loyalty", null, null),
                                call(HttpMethod.GET, profile + "/consents", null, null),
                                call(HttpMethod.GET, inventoryBase + "/api/reservations?profileId=" + profileId, null,
                                        null)));
                case "cart" -> call(HttpMethod.GET, gateway ? "/api/me/cart" : profile + "/cart", null, operation);
                case "reserve" -> {
                    String line = "{\"sku\":\"%s\",\"locationId\":\"%s\",\"quantity\":1}".formatted(sku,
                            store((int) (n % STORES)));
                    String body = gateway ? "{\"lines\":[" + line + "]}"
                            : "{\"profileId\":\"%s\",\"channel\":\"click_and_collect\",\"lines\":[%s]}"
                                    .formatted(profileId, line);
                    yield call(HttpMethod.POST, gateway ? "/api/me/reservations" : inventoryBase + "/api/reservations",
                            body, operation).with("Idempotency-Key", run + "-" + n);
                }
                default -> throw new IllegalStateException(operation);
            };
        }

        private Call call(HttpMethod method, String path, String body, String label) {
            Call call = new Call(method, path, Map.of("Authorization", authorization), body, label);
            return body == null ? call : call.with("Content-Type", "application/json");
        }
    }

    /** 35 / 25 / 20 / 15 / 5 % over every 20 requests. */
    static String operation(long n) {
        int slot = (int) (n % 20);
        if (slot < 7) {
            return "near-me";
        } else if (slot < 12) {
            return "track";
        } else if (slot < 16) {
            return "me";
        } else if (slot < 19) {
            return "cart";
        }
        return "reserve";
    }

    static String store(int i) {
        return "bench-sf-store-%02d".formatted(i + 1);
    }

    static String trackEvent(String messageId, String sku) {
        return ("{\"type\":\"track\",\"event\":\"product_viewed\",\"channel\":\"web\",\"messageId\":\"bench-sf-%s\","
                + "\"identifiers\":{\"email\":\"%s\"},\"properties\":{\"productId\":\"%s\",\"sku\":\"%s\"},"
                + "\"timestamp\":\"%s\"}").formatted(messageId, "anna@example.com", PRODUCT, sku, Instant.now());
    }

    /** The catalogue, stock and customer the mix reads, written through the services' own APIs. */
    static final class Seed {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final URI profile;
        private final URI inventory;
        private final String token;

        Seed(URI profile, URI inventory, String token) {
            this.profile = profile;
            this.inventory = inventory;
            this.token = token;
        }

        String all(String email) throws Exception {
            for (int i = 0; i < STORES; i++) {
                // stores on a small circle around the customer, 1–12 km out
                double km = i + 1;
                double angle = i * 2 * Math.PI / STORES;
                double lat = LAT + km / 111.0 * Math.cos(angle);
                double lng = LNG + km / (111.0 * Math.cos(Math.toRadians(LAT))) * Math.sin(angle);
                createOrExisting(inventory.resolve("/api/locations"), """
                        {"id":"%s","name":"Bench storefront %d","type":"STORE","latitude":%s,"longitude":%s,
                         "timeZone":"Europe/Berlin","pickupEnabled":true,"fulfilsOnline":false,
                         "openingHours":{"MONDAY":"00:00-23:59","TUESDAY":"00:00-23:59","WEDNESDAY":"00:00-23:59",
                         "THURSDAY":"00:00-23:59","FRIDAY":"00:00-23:59","SATURDAY":"00:00-23:59","SUNDAY":"00:00-23:59"}}
                        """.formatted(store(i), i + 1, String.format(Locale.ROOT, "%.5f", lat),
                        String.format(Locale.ROOT, "%.5f", lng)));
            }
            for (String size : SIZES) {
                createOrExisting(inventory.resolve("/api/skus"), """
                        {"sku":"%s-%s","productId":"%s","name":"Bench storefront shoe %s",
                         "attributes":{"size":"%s","colour":"black"}}""".formatted(PRODUCT, size, PRODUCT, size,
                        size));
                for (int i = 0; i < STORES; i++) {
                    // enough that the run's reservations never run a store dry; a repeated movement id is ignored
                    createOrExisting(inventory.resolve("/api/stock-movements"), """
                            {"movementId":"bench-sf-receipt-%s-%s-%s","kind":"RECEIPT","sku":"%s-%s","locationId":"%s",
                             "quantity":1000000,"source":"bench"}""".formatted(PRODUCT, size, store(i), PRODUCT, size,
                            store(i)));
                }
            }
            send("POST", profile.resolve("/api/events"), """
                    {"type":"identify","channel":"web","messageId":"bench-sf-identify-%s",
                     "identifiers":{"email":"%s"},"traits":{"firstName":"Anna"},"timestamp":"%s"}"""
                    .formatted(email, email, Instant.now()), 202);
            HttpResponse<String> found = send("GET", profile.resolve("/api/profiles?identifierType=email&identifier="
                    + URLEncoder.encode(email, StandardCharsets.UTF_8)), null, 200);
            return JSON.readTree(found.body()).get("id").asText();
        }

        /** The gateway answers the customer's 360 and sees every bench store's stock in its availability cache. */
        void awaitGatewaySees(URI gateway, String customerToken) throws Exception {
            Instant until = Instant.now().plusSeconds(60);
            String last = "";
            while (Instant.now().isBefore(until)) {
                HttpResponse<String> me = get(gateway.resolve("/api/me"), customerToken);
                HttpResponse<String> near = get(gateway.resolve("/api/products/" + PRODUCT + "/availability?near="
                        + NEAR + "&radiusKm=50"), customerToken);
                if (me.statusCode() == 200 && near.statusCode() == 200 && storesWithStock(near.body()) >= STORES) {
                    return;
                }
                last = "GET /api/me " + me.statusCode() + ", availability " + near.statusCode() + ": "
                        + near.body().substring(0, Math.min(300, near.body().length()));
                Thread.sleep(500);
            }
            throw new IllegalStateException("the gateway did not see the seeded data within 60 s: " + last);
        }

        private static int storesWithStock(String body) throws Exception {
            JsonNode root = JSON.readTree(body);
            int found = 0;
            for (JsonNode node : root.findParents("locationId")) {
                if (node.path("locationId").asText().startsWith("bench-sf-store-")
                        && node.path("available").asInt() > 0) {
                    found++;
                }
            }
            return found / SIZES.size();
        }

        private HttpResponse<String> get(URI uri, String bearer) throws Exception {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
        }

        private void createOrExisting(URI uri, String body) throws Exception {
            HttpResponse<String> answer = send("POST", uri, body, -1);
            if (answer.statusCode() / 100 != 2 && answer.statusCode() != 409) {
                throw new IllegalStateException("POST " + uri + " answered " + answer.statusCode() + ": "
                        + answer.body());
            }
        }

        private HttpResponse<String> send(String method, URI uri, String body, int expected) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (expected > 0 && answer.statusCode() != expected) {
                throw new IllegalStateException(method + " " + uri + " answered " + answer.statusCode()
                        + " (expected " + expected + "): " + answer.body());
            }
            return answer;
        }
    }

    private static void report(Measured g, Measured d, int connections, int seconds, int rate, int rateSeconds,
            List<String> failures) {
        Report report = new Report("storefront", "storefront mix: through the gateway vs straight to the services");
        report.row("requests/s, closed loop, " + connections + " connections: gateway vs direct",
                perSecond(g.throughput()), perSecond(d.throughput()),
                ratio(g.throughput().perSecond(), d.throughput().perSecond()) + " of direct");
        for (double percentile : new double[] { 50, 99 }) {
            String p = "p" + (int) percentile;
            report.row(p + " ms at " + rate + " req/s, whole mix: gateway vs direct", ms(g.fixed().millis(percentile)),
                    ms(d.fixed().millis(percentile)),
                    "+" + ms(g.fixed().millis(percentile) - d.fixed().millis(percentile)) + " ms");
        }
        for (String operation : OPERATIONS) {
            report.row("p50 / p99 ms at " + rate + " req/s: " + describe(operation),
                    ms(g.fixed().millis(operation, 50)) + " / " + ms(g.fixed().millis(operation, 99)),
                    ms(d.fixed().millis(operation, 50)) + " / " + ms(d.fixed().millis(operation, 99)), "—");
        }
        report.note("A signed-in customer's storefront traffic (customer token of the public client storefront-app, "
                + "password grant) through a gateway the benchmark starts from `gateway/target/quarkus-app` with the "
                + "suite's configuration and the rate limit raised above the load (the limiter still runs on every "
                + "request), beside the same operations sent straight to the services with a client-credentials token "
                + "(for `/api/me` the client itself fetches the six parts in parallel, as the gateway does).");
        report.note("Mix by share of requests: 35 % product availability near the customer (gateway: its cache fed by "
                + "`omni.availability`; direct: inventory-service's near-me search), 25 % a tracked product view "
                + "(`POST /api/events`), 20 % the customer's 360, 15 % the cart, 5 % a click & collect reservation "
                + "of one unit (`Idempotency-Key` per request). Seeded through the services' APIs: " + STORES
                + " stores 1–12 km from the customer, " + SIZES.size() + " sizes of " + PRODUCT + ".");
        report.note("Both sides warm up first, then each is measured. Closed loop: " + connections + " connections for "
                + seconds + " s. Fixed rate: "
                + rate + " req/s for " + rateSeconds + " s, latency from when each request was due (coordinated "
                + "omission corrected). One Vert.x client on the same machine as every server.");
        if (failures.isEmpty()) {
            report.note("Check: every answer of every phase on both sides was 2xx: passed.");
        } else {
            failures.forEach(f -> report.note("**FAILED check:** " + f));
        }
        report.write();
    }

    private static String describe(String operation) {
        return switch (operation) {
            case "near-me" -> "sizes near me";
            case "track" -> "tracked view";
            case "me" -> "customer 360";
            case "cart" -> "cart";
            case "reserve" -> "reservation";
            default -> operation;
        };
    }

    private static String perSecond(Result result) {
        return String.format(Locale.ROOT, "%,.0f", result.perSecond());
    }

    private static String ms(double millis) {
        return Double.isNaN(millis) ? "—" : String.format(Locale.ROOT, "%.2f", millis);
    }

    private static String ratio(double a, double b) {
        return b <= 0 ? "—" : String.format(Locale.ROOT, "%.2f×", a / b);
    }
}
