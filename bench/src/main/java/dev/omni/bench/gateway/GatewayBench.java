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
import java.util.Arrays;
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

    /** A target's closed loop, and its fixed-rate results, one per round. */
    record Measured(Target target, Result throughput, List<Result> rounds) {

        /** The median over the rounds of this percentile. */
        double millis(double percentile) {
            return median(rounds.stream().mapToDouble(r -> r.millis(percentile)).toArray());
        }
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
        int rate = args.integer("rate", 150);
        int rateSeconds = args.integer("rate-seconds", 10);
        int rounds = args.integer("rounds", 5);
        // the same token on all three: the service checks it itself when the suite runs with OMNI_AUTH_ENABLED
        // (the default of ./omni up), so direct and nginx carry it too and the gateway's extra cost stays its own
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
        List<Target> targets = List.of(
                new Target("direct", URI.create(args.string("direct", "http://127.0.0.1:8082")), bearer),
                new Target("nginx", URI.create(args.string("nginx", "http://127.0.0.1:18181")), bearer),
                new Target("gateway", URI.create(args.string("gateway", "http://127.0.0.1:18080")), bearer));

        List<String> failures = new ArrayList<>();
        String reference = sameAnswer(targets, path, failures);

        Map<String, HttpLoad> loads = new LinkedHashMap<>();
        Map<String, Result> throughputs = new LinkedHashMap<>();
        Map<String, List<Result>> fixed = new LinkedHashMap<>();
        try {
            for (Target target : targets) {
                HttpLoad load = new HttpLoad(target.url(), connections);
                loads.put(target.name(), load);
                Call call = call(target, path);
                System.out.printf("%s %s%s: warm-up %d s%n", target.name(), target.url(), path, warmup);
                load.closedLoop(n -> call, connections, Duration.ofSeconds(warmup));
                Result throughput = load.closedLoop(n -> call, connections, Duration.ofSeconds(seconds));
                System.out.println("  closed loop, " + connections + " connections: " + throughput.summary());
                check(target, "closed loop", throughput, failures);
                throughputs.put(target.name(), throughput);
                fixed.put(target.name(), new ArrayList<>());
            }
            // the fixed rate in rounds, each target once per round in a rotating order: a slow minute of this shared
            // machine then falls on all three alike, and the added figures compare targets measured side by side
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < targets.size(); i++) {
                    Target target = targets.get((i + round) % targets.size());
                    Call call = call(target, path);
                    Result result = loads.get(target.name()).fixedRate(n -> call, rate, Duration.ofSeconds(rateSeconds));
                    System.out.printf("round %d, %s fixed %d/s: %s%n", round + 1, target.name(), rate, result.summary());
                    check(target, "fixed rate, round " + (round + 1), result, failures);
                    fixed.get(target.name()).add(result);
                }
            }
        } finally {
            loads.values().forEach(HttpLoad::close);
        }
        Map<String, Measured> measured = new LinkedHashMap<>();
        targets.forEach(t -> measured.put(t.name(), new Measured(t, throughputs.get(t.name()), fixed.get(t.name()))));
        report(measured, path, connections, seconds, rate, rateSeconds, rounds, reference, failures);
        if (!failures.isEmpty()) {
            System.exit(1);
        }
    }

    private static Call call(Target target, String path) {
        return new Call(io.vertx.core.http.HttpMethod.GET, path, target.headers(), null);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Per round, what a target added over direct at this percentile; the median of those. */
    private static double addedMedian(Measured target, Measured direct, double percentile) {
        double[] added = new double[target.rounds().size()];
        for (int i = 0; i < added.length; i++) {
            added[i] = target.rounds().get(i).millis(percentile) - direct.rounds().get(i).millis(percentile);
        }
        return median(added);
    }

    private static String perRound(Measured target, Measured direct, double percentile) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < target.rounds().size(); i++) {
            out.append(i == 0 ? "" : ", ").append(ms(target.rounds().get(i).millis(percentile)
                    - direct.rounds().get(i).millis(percentile)));
        }
        return out.toString();
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
            int rateSeconds, int rounds, String body, List<String> failures) {
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
            String at = " at " + rate + " req/s, median of " + rounds + " rounds";
            report.row(p + " ms" + at + ": via gateway vs via nginx", ms(gateway.millis(percentile)),
                    ms(nginx.millis(percentile)), ratio(gateway.millis(percentile), nginx.millis(percentile))
                            + " of nginx's");
            report.row(p + " ms" + at + ": straight to the service", ms(direct.millis(percentile)), "—", "reference");
            double gatewayAdded = addedMedian(gateway, direct, percentile);
            double nginxAdded = addedMedian(nginx, direct, percentile);
            String verdict;
            if (percentile == 50) {
                verdict = nginxAdded > 0 ? Report.verdict(gatewayAdded / nginxAdded, 1.2, true,
                        "gateway added p50 ≤ 1.2× nginx's (" + ratio(gatewayAdded, nginxAdded) + ")")
                        : "nginx added nothing measurable: no ratio";
            } else {
                verdict = nginxAdded > 0 ? ratio(gatewayAdded, nginxAdded) + " of nginx's" : "—";
            }
            report.row(p + " ms added over direct, median of the rounds' differences: gateway vs nginx",
                    ms(gatewayAdded), ms(nginxAdded), verdict);
            report.note(p + " ms added over direct in each round: gateway " + perRound(gateway, direct, percentile)
                    + "; nginx " + perRound(nginx, direct, percentile) + ".");
        }
        report.note("Each target gets the same GET `" + path + "` (" + body + " of JSON from inventory-service): "
                + "straight to the service, through nginx (`proxy_pass` to the same service, keep-alive upstream "
                + "connections), and through the gateway with a client-credentials token of Keycloak realm omni "
                + "(signature, issuer, audience and expiry checked, route and scope checked, rate limiter, circuit "
                + "breaker, `X-Request-Id`, streamed proxy). All three send the same token: with the suite's "
                + "`OMNI_AUTH_ENABLED` the service checks it again on every path, so that cost is in all three and "
                + "the added figures are the proxy's own.");
        report.note("Closed loop: " + connections + " connections for " + seconds + " s after a warm-up. Fixed rate: "
                + rounds + " rounds, each target " + rate + " req/s for " + rateSeconds + " s per round, in an order "
                + "that rotates every round; latency from when each request was due (coordinated omission corrected), "
                + "one Vert.x client on the same machine as the servers. The added figures are the median over the "
                + "rounds of each round's difference to direct, so slow and quiet stretches of the shared machine "
                + "fall on all three targets alike.");
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
