package dev.omni.bench.gateway;

import dev.omni.bench.Args;
import dev.omni.bench.HttpLoad;
import dev.omni.bench.HttpLoad.Call;
import dev.omni.bench.HttpLoad.Result;
import dev.omni.bench.Report;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gateway's cost: the same GET of one upstream resource, driven with the same load, (1) straight to the service,
 * (2) through nginx as a plain reverse proxy, (3) through the gateway with JWT validation, route table, rate limiter
 * and breaker. Per target: a closed loop for the most requests per second, then a fixed rate (open loop, corrected
 * for coordinated omission) for p50/p99. The verdict is the target: the gateway's added p50 (over direct) at
 * most 1.2 × nginx's. Every answer must be a 200 with the same body as the service's own; otherwise the run fails.
 */
public final class GatewayBench {

    private GatewayBench() {
    }

    record Target(String name, URI url, Map<String, String> headers) {
    }

    record Measured(Target target, Result throughput, Result fixed) {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String path = args.string("path", "/api/stock/SNK-RUNNER-42-WHT");
        String token = args.string("token", "");
        if (token.isBlank()) {
            throw new IllegalArgumentException("--token=<bearer token for the gateway> is required");
        }
        int connections = args.integer("connections", 32);
        int seconds = args.integer("seconds", 20);
        int warmup = args.integer("warmup-seconds", 10);
        int rate = args.integer("rate", 1000);
        int rateSeconds = args.integer("rate-seconds", 20);
        // the same token on all three: the service checks it itself when the suite runs with OMNI_AUTH_ENABLED
        // (the default of ./omni up), so direct and nginx carry it too and the gateway's extra cost stays its own
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
        List<Target> targets = List.of(
                new Target("direct", URI.create(args.string("direct", "http://127.0.0.1:8082")), bearer),
                new Target("nginx", URI.create(args.string("nginx", "http://127.0.0.1:18181")), bearer),
                new Target("gateway", URI.create(args.string("gateway", "http://127.0.0.1:18080")), bearer));

        List<String> failures = new ArrayList<>();
        String reference = sameAnswer(targets, path, failures);

        Map<String, Measured> measured = new LinkedHashMap<>();
        for (Target target : targets) {
            try (HttpLoad load = new HttpLoad(target.url(), connections)) {
                Call call = new Call(io.vertx.core.http.HttpMethod.GET, path, target.headers(), null);
                System.out.printf("%s %s%s: warm-up %d s%n", target.name(), target.url(), path, warmup);
                load.closedLoop(n -> call, connections, Duration.ofSeconds(warmup));
                Result throughput = load.closedLoop(n -> call, connections, Duration.ofSeconds(seconds));
                System.out.println("  closed loop, " + connections + " connections: " + throughput.summary());
                Result fixed = load.fixedRate(n -> call, rate, Duration.ofSeconds(rateSeconds));
                System.out.println("  fixed " + rate + "/s: " + fixed.summary());
                check(target, "closed loop", throughput, failures);
                check(target, "fixed rate", fixed, failures);
                measured.put(target.name(), new Measured(target, throughput, fixed));
            }
        }
        report(measured, path, connections, seconds, rate, rateSeconds, reference, failures);
        if (!failures.isEmpty()) {
            System.exit(1);
        }
    }

    /** The three targets answer the path with 200 and the same body; returns the body's size for the report. */
    private static String sameAnswer(List<Target> targets, String path, List<String> failures) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String expected = null;
        for (Target target : targets) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target.url().resolve(path))
                    .timeout(Duration.ofSeconds(10));
            target.headers().forEach(request::header);
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                failures.add(target.name() + " answered " + answer.statusCode() + " to GET " + path + ": "
                        + answer.body());
            } else if (expected == null) {
                expected = answer.body();
            } else if (!expected.equals(answer.body())) {
                failures.add(target.name() + " answered another body than the service itself");
            }
        }
        return expected == null ? "?" : expected.length() + " bytes";
    }

    private static void check(Target target, String phase, Result result, List<String> failures) {
        long notOk = result.completed() - result.ok();
        if (notOk > 0 || result.failures() > 0) {
            failures.add("%s, %s: %d of %d answers were not 2xx %s, %d connection failures".formatted(target.name(),
                    phase, notOk, result.completed(), result.statuses(), result.failures()));
        }
    }

    private static void report(Map<String, Measured> m, String path, int connections, int seconds, int rate,
            int rateSeconds, String body, List<String> failures) {
        Measured direct = m.get("direct");
        Measured nginx = m.get("nginx");
        Measured gateway = m.get("gateway");
        Report report = new Report("gateway", "gateway: overhead against nginx");
        report.row("req/s, closed loop, " + connections + " connections: via gateway vs via nginx",
                perSecond(gateway.throughput()), perSecond(nginx.throughput()),
                ratio(gateway.throughput().perSecond(), nginx.throughput().perSecond()) + " of nginx's");
        report.row("req/s, closed loop: straight to the service", perSecond(direct.throughput()), "—", "reference");
        for (double percentile : new double[] { 50, 99 }) {
            String p = "p" + (int) percentile;
            report.row(p + " ms at " + rate + " req/s: via gateway vs via nginx", ms(gateway.fixed().millis(percentile)),
                    ms(nginx.fixed().millis(percentile)), ratio(gateway.fixed().millis(percentile),
                            nginx.fixed().millis(percentile)) + " of nginx's");
            report.row(p + " ms at " + rate + " req/s: straight to the service", ms(direct.fixed().millis(percentile)),
                    "—", "reference");
            double gatewayAdded = gateway.fixed().millis(percentile) - direct.fixed().millis(percentile);
            double nginxAdded = nginx.fixed().millis(percentile) - direct.fixed().millis(percentile);
            String verdict;
            if (percentile == 50) {
                verdict = nginxAdded > 0 ? Report.verdict(gatewayAdded / nginxAdded, 1.2, true,
                        "gateway added p50 ≤ 1.2× nginx's (" + ratio(gatewayAdded, nginxAdded) + ")")
                        : "nginx added nothing measurable: no ratio";
            } else {
                verdict = nginxAdded > 0 ? ratio(gatewayAdded, nginxAdded) + " of nginx's" : "—";
            }
            report.row(p + " ms added over direct: gateway vs nginx", ms(gatewayAdded), ms(nginxAdded), verdict);
        }
        report.note("Each target gets the same GET `" + path + "` (" + body + " of JSON from inventory-service): "
                + "straight to the service, through nginx (`proxy_pass` to the same service, keep-alive upstream "
                + "connections), and through the gateway with a client-credentials token of Keycloak realm omni "
                + "(signature, issuer, audience and expiry checked, route and scope checked, rate limiter, circuit "
                + "breaker, `X-Request-Id`, streamed proxy). All three send the same token: with the suite's "
                + "`OMNI_AUTH_ENABLED` the service checks it again on every path, so that cost is in all three and "
                + "the added figures are the proxy's own.");
        report.note("Closed loop: " + connections + " connections for " + seconds + " s after a warm-up. Fixed rate: "
                + rate + " req/s for " + rateSeconds + " s, latency from when each request was due (coordinated "
                + "omission corrected), one Vert.x client on the same machine as the servers.");
        report.note("The gateway is an instance started by the benchmark from `gateway/target/quarkus-app` with the "
                + "suite's configuration and the rate limit raised above the load (the limiter still runs on every "
                + "request); the suite's own gateway on :8080 would answer 429 after its per-client budget.");
        if (failures.isEmpty()) {
            report.note("Check: every answer of every phase was a 200, and the three targets answered the same body: "
                    + "passed.");
        } else {
            failures.forEach(f -> report.note("**FAILED check:** " + f));
        }
        report.write();
    }

    private static String perSecond(Result result) {
        return String.format(Locale.ROOT, "%,.0f", result.perSecond());
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.2f", millis);
    }

    private static String ratio(double a, double b) {
        return b <= 0 ? "—" : String.format(Locale.ROOT, "%.2f×", a / b);
    }
}
