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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The gateway's cost: the same GET of one upstream resource, driven with the same load, (1) straight to the service,
 * (2) through nginx as a plain reverse proxy, (3) through the gateway with JWT validation, route table, rate limiter
 * and breaker. Per target: a closed loop for the most requests per second, then a fixed rate (open loop, corrected
 * for coordinated omission) for p50/p99. The verdict is the target: the gateway's added p50 (over direct) at
 * most 1.2 × nginx's. Every answer must be a 200 with the same body as the service's own; otherwise the run fails.
 */
public final class GatewayBench {

    /** The optional fourth target: Vert.x's HTTP proxy with nothing around it ({@link BareProxy}). */
    private static final String FLOOR = "vertx-proxy";

    private GatewayBench() {
    }

    record Target(String name, URI url, Map<String, String> headers) {
    }

    /** A target's closed loop, and the interleaved fixed-rate rounds (its requests carry its name as label). */
    record Measured(Target target, Result throughput, List<Result> rounds) {

        /** This percentile of the target's requests in one round. */
        double millis(int round, double percentile) {
            return rounds.get(round).millis(target.name(), percentile);
        }

        /** The median over the rounds of this percentile. */
        double millis(double percentile) {
            return median(IntStream.range(0, rounds.size()).mapToDouble(i -> millis(i, percentile)).toArray());
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
        int rounds = args.integer("rounds", 9);
        // the same token on all three: the service checks it itself when the suite runs with OMNI_AUTH_ENABLED
        // (the default of ./omni up), so direct and nginx carry it too and the gateway's extra cost stays its own
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
        List<Target> targets = new ArrayList<>(List.of(
                new Target("direct", URI.create(args.string("direct", "http://127.0.0.1:8082")), bearer),
                new Target("nginx", URI.create(args.string("nginx", "http://127.0.0.1:18181")), bearer),
                new Target("gateway", URI.create(args.string("gateway", "http://127.0.0.1:18080")), bearer)));
        String floor = args.string("floor", "");
        if (!floor.isBlank()) {
            targets.add(new Target(FLOOR, URI.create(floor), bearer));
        }

        List<String> failures = new ArrayList<>();
        String reference = sameAnswer(targets, path, failures);

        Map<String, Result> throughputs = new LinkedHashMap<>();
        for (Target target : targets) {
            try (HttpLoad load = new HttpLoad(target.url(), connections)) {
                Call call = call(target, path);
                System.out.printf("%s %s%s: warm-up %d s%n", target.name(), target.url(), path, warmup);
                load.closedLoop(n -> call, connections, Duration.ofSeconds(warmup));
                Result throughput = load.closedLoop(n -> call, connections, Duration.ofSeconds(seconds));
                System.out.println("  closed loop, " + connections + " connections: " + throughput.summary());
                check(target.name() + ", closed loop", throughput, failures);
                throughputs.put(target.name(), throughput);
            }
        }
        // the fixed rate in rounds; within a round the targets' requests are interleaved in a random order from one
        // schedule, so whatever the shared machine does at a moment falls on all targets alike, and each round's
        // added figures compare requests sent side by side
        List<Result> fixed = new ArrayList<>();
        Random order = new Random(rounds * 31L + rate);
        try (HttpLoad mixed = new HttpLoad(targets.get(0).url(), connections)) {
            for (int round = 0; round < rounds; round++) {
                List<Call> slots = interleaved(targets, path, rate * rateSeconds, order);
                Result result = mixed.fixedRate(n -> slots.get((int) n), rate * targets.size(),
                        Duration.ofSeconds(rateSeconds));
                System.out.printf("round %d, %d/s to each target, interleaved: %s%n", round + 1, rate,
                        targets.stream().map(t -> "%s p50 %.3f p99 %.3f".formatted(t.name(),
                                result.millis(t.name(), 50), result.millis(t.name(), 99)))
                                .collect(Collectors.joining("; ")));
                check("fixed rate, round " + (round + 1), result, failures);
                fixed.add(result);
            }
        }
        Map<String, Measured> measured = new LinkedHashMap<>();
        targets.forEach(t -> measured.put(t.name(), new Measured(t, throughputs.get(t.name()), fixed)));
        report(measured, path, connections, seconds, rate, rateSeconds, rounds, reference, failures);
        if (!failures.isEmpty()) {
            System.exit(1);
        }
    }

    private static Call call(Target target, String path) {
        return new Call(io.vertx.core.http.HttpMethod.GET, path, target.headers(), null);
    }

    /**
     * {@code perTarget} requests to each target, labelled with its name, in blocks holding one request of each
     * target in a random order: every target gets the same count, spread evenly over the round.
     */
    static List<Call> interleaved(List<Target> targets, String path, int perTarget, Random order) {
        List<Call> slots = new ArrayList<>(perTarget * targets.size());
        List<Call> block = new ArrayList<>(targets.stream()
                .map(t -> new Call(io.vertx.core.http.HttpMethod.GET, t.url().resolve(path).toString(), t.headers(),
                        null, t.name()))
                .toList());
        for (int i = 0; i < perTarget; i++) {
            Collections.shuffle(block, order);
            slots.addAll(block);
        }
        return slots;
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
            added[i] = target.millis(i, percentile) - direct.millis(i, percentile);
        }
        return median(added);
    }

    private static String perRound(Measured target, Measured direct, double percentile) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < target.rounds().size(); i++) {
            out.append(i == 0 ? "" : ", ").append(ms(target.millis(i, percentile) - direct.millis(i, percentile)));
        }
        return out.toString();
    }

    /** The targets answer the path with 200 and the same body; returns the body's size for the report. */
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

    private static void check(String phase, Result result, List<String> failures) {
        long notOk = result.completed() - result.ok();
        if (notOk > 0 || result.failures() > 0) {
            failures.add("%s: %d of %d answers were not 2xx %s, %d connection failures".formatted(phase, notOk,
                    result.completed(), result.statuses(), result.failures()));
        }
    }

    private static void report(Map<String, Measured> m, String path, int connections, int seconds, int rate,
            int rateSeconds, int rounds, String body, List<String> failures) {
        Measured direct = m.get("direct");
        Measured nginx = m.get("nginx");
        Measured gateway = m.get("gateway");
        Measured floor = m.get(FLOOR);
        Report report = new Report("gateway", "gateway: overhead against nginx");
        report.row("req/s, closed loop, " + connections + " connections: via gateway vs via nginx",
                perSecond(gateway.throughput()), perSecond(nginx.throughput()),
                ratio(gateway.throughput().perSecond(), nginx.throughput().perSecond()) + " of nginx's");
        report.row("req/s, closed loop: straight to the service", perSecond(direct.throughput()), "—", "reference");
        if (floor != null) {
            report.row("req/s, closed loop: via Vert.x's HTTP proxy alone (floor)", perSecond(floor.throughput()), "—",
                    ratio(floor.throughput().perSecond(), nginx.throughput().perSecond()) + " of nginx's");
        }
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
            if (floor != null) {
                double floorAdded = addedMedian(floor, direct, percentile);
                report.row(p + " ms added over direct: Vert.x's HTTP proxy alone (floor) vs nginx", ms(floorAdded),
                        ms(nginxAdded), nginxAdded > 0 ? ratio(floorAdded, nginxAdded) + " of nginx's" : "—");
            }
            report.note(p + " ms added over direct in each round: gateway " + perRound(gateway, direct, percentile)
                    + "; nginx " + perRound(nginx, direct, percentile)
                    + (floor == null ? "" : "; Vert.x proxy alone " + perRound(floor, direct, percentile)) + ".");
        }
        report.note("Each target gets the same GET `" + path + "` (" + body + " of JSON from inventory-service): "
                + "straight to the service, through nginx (`proxy_pass` to the same service, keep-alive upstream "
                + "connections), and through the gateway with a client-credentials token of Keycloak realm omni "
                + "(signature, issuer, audience and expiry checked, route and scope checked, rate limiter, circuit "
                + "breaker, `X-Request-Id`, streamed proxy). All three send the same token: with the suite's "
                + "`OMNI_AUTH_ENABLED` the service checks it again on every path, so that cost is in all three and "
                + "the added figures are the proxy's own.");
        report.note("Closed loop: " + connections + " connections for " + seconds + " s after a warm-up. Fixed rate: "
                + rounds + " rounds of " + rateSeconds + " s, each sending " + rate + " req/s to every target from one "
                + "schedule, the targets' requests interleaved in a random order; latency from when each request "
                + "was due (coordinated omission corrected), one Vert.x client on the same machine as the servers. "
                + "A round's added figure is a target's percentile minus direct's in that round, both measured over "
                + "the same seconds; the table gives the median over the rounds, the notes every round.");
        if (floor != null) {
            report.note("The floor (`dev.omni.bench.gateway.BareProxy`, its own JVM): Vert.x's `HttpProxy`, the library "
                    + "the gateway proxies with, with nothing around it — no token check, route table, limiter, breaker, "
                    + "request id or metrics — one verticle per core on epoll like the gateway. What it adds is what "
                    + "a gateway on this library adds before doing any of its own work.");
        }
        report.note("The gateway is an instance started by the benchmark from `gateway/target/quarkus-app` with the "
                + "suite's configuration and the rate limit raised above the load (the limiter still runs on every "
                + "request); the suite's own gateway on :8080 would answer 429 after its per-client budget.");
        if (failures.isEmpty()) {
            report.note("Check: every answer of every phase was a 200, and the targets answered the same body: "
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
