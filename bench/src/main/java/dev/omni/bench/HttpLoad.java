package dev.omni.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * HTTP load from one Vert.x client: either at a fixed rate (open loop — latency is measured from when a request was
 * due, not from when it went out, so a stalled server is not hidden by a stalled generator), or as fast as a fixed
 * number of connections allow (closed loop, for throughput).
 */
public final class HttpLoad implements AutoCloseable {

    /** What one scheduled slot sends: one {@link Call}, or several {@link Parallel} calls that count as one. */
    public sealed interface Request permits Call, Parallel {
        /** Latencies are also kept per label (null: only in the overall histogram). */
        String label();
    }

    /**
     * One request: method, path (with query; or an absolute {@code http://host:port/path} to reach another server
     * than the load's base), headers, body (may be null) and an optional label for per-label latencies.
     */
    public record Call(HttpMethod method, String path, Map<String, String> headers, String body, String label)
            implements Request {
        public Call(HttpMethod method, String path, Map<String, String> headers, String body) {
            this(method, path, headers, body, null);
        }

        public static Call get(String path) {
            return new Call(HttpMethod.GET, path, Map.of(), null);
        }

        public static Call postJson(String path, String body) {
            return new Call(HttpMethod.POST, path, Map.of("Content-Type", "application/json"), body);
        }

        public Call with(String header, String value) {
            Map<String, String> all = new TreeMap<>(headers);
            all.put(header, value);
            return new Call(method, path, all, body, label);
        }

        public Call labelled(String name) {
            return new Call(method, path, headers, body, name);
        }
    }

    /**
     * Calls sent at once that count as one request, as a client composing a page from several services does: done
     * when the last answers; its status is the first non-2xx one (else the first), a failure if any call failed.
     */
    public record Parallel(String label, List<Call> calls) implements Request {
        public Parallel {
            if (calls.isEmpty()) {
                throw new IllegalArgumentException("a parallel request needs at least one call");
            }
            calls = List.copyOf(calls);
        }
    }

    /** What a run did: counts by status, latencies in microseconds, and the rate achieved. */
    public record Result(long completed, Map<Integer, Long> statuses, long failures, Histogram latencyMicros,
                         Duration elapsed, Map<String, Histogram> latencyMicrosByLabel) {
        public Result(long completed, Map<Integer, Long> statuses, long failures, Histogram latencyMicros,
                      Duration elapsed) {
            this(completed, statuses, failures, latencyMicros, elapsed, Map.of());
        }

        /** The percentile of one label's latencies in ms, NaN when no request had that label. */
        public double millis(String label, double percentile) {
            Histogram histogram = latencyMicrosByLabel.get(label);
            return histogram == null || histogram.getTotalCount() == 0 ? Double.NaN
                    : histogram.getValueAtPercentile(percentile) / 1000.0;
        }

        public double perSecond() {
            return completed / (elapsed.toNanos() / 1e9);
        }

        public long ok() {
            return statuses.entrySet().stream().filter(e -> e.getKey() / 100 == 2).mapToLong(Map.Entry::getValue)
                    .sum();
        }

        public double millis(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        public String summary() {
            return "%,d requests in %.1f s = %,.0f/s; statuses %s, connection failures %d; latency ms p50 %.2f p99 %.2f max %.2f"
                    .formatted(completed, elapsed.toMillis() / 1000.0, perSecond(), statuses, failures, millis(50),
                            millis(99), latencyMicros.getMaxValue() / 1000.0);
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final URI base;

    public HttpLoad(URI base, int connections) {
        this.base = base;
        this.vertx = Vertx.vertx();
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(base.getHost())
                        .setDefaultPort(base.getPort()).setKeepAlive(true).setPipelining(false)
                        .setConnectTimeout(5_000).setIdleTimeout(60),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    /** {@code rate} requests per second for {@code duration}, each built by {@code calls} from its sequence number. */
    public Result fixedRate(LongFunction<? extends Request> calls, int rate, Duration duration) {
        Recorder latencies = new Recorder();
        Map<Integer, Long> statuses = new TreeMap<>();
        AtomicLong failures = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        long total = rate * duration.toSeconds();
        CompletableFuture<Void> done = new CompletableFuture<>();
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        AtomicLong issued = new AtomicLong();
        vertx.setPeriodic(1, timer -> {
            long due = Math.min(total, (System.nanoTime() - start) / intervalNanos + 1);
            while (issued.get() < due) {
                long n = issued.getAndIncrement();
                long scheduledAt = start + n * intervalNanos;
                send(calls.apply(n), scheduledAt, latencies, statuses, failures, () -> {
                    if (completed.incrementAndGet() == total) {
                        done.complete(null);
                    }
                });
            }
            if (issued.get() >= total) {
                vertx.cancelTimer(timer);
            }
        });
        done.orTimeout(duration.toSeconds() + 120, TimeUnit.SECONDS).join();
        return new Result(completed.get(), statuses, failures.get(), latencies.all,
                Duration.ofNanos(System.nanoTime() - start), latencies.byLabel);
    }

    /** {@code concurrency} requests always in flight for {@code duration}: the most this server does. */
    public Result closedLoop(LongFunction<? extends Request> calls, int concurrency, Duration duration) {
        Recorder latencies = new Recorder();
        Map<Integer, Long> statuses = new TreeMap<>();
        AtomicLong failures = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        AtomicLong inFlight = new AtomicLong(concurrency);
        CompletableFuture<Void> done = new CompletableFuture<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (System.nanoTime() >= end) {
                if (inFlight.decrementAndGet() == 0) {
                    done.complete(null);
                }
                return;
            }
            send(calls.apply(sequence.getAndIncrement()), System.nanoTime(), latencies, statuses, failures, () -> {
                completed.incrementAndGet();
                next[0].run();
            });
        };
        vertx.runOnContext(v -> {
            for (int i = 0; i < concurrency; i++) {
                next[0].run();
            }
        });
        done.orTimeout(duration.toSeconds() + 120, TimeUnit.SECONDS).join();
        return new Result(completed.get(), statuses, failures.get(), latencies.all,
                Duration.ofNanos(System.nanoTime() - start), latencies.byLabel);
    }

    /** Latencies overall and per label (guarded by itself). */
    private static final class Recorder {
        final Histogram all = histogram();
        final Map<String, Histogram> byLabel = new TreeMap<>();

        static Histogram histogram() {
            return new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        }

        void record(String label, long micros) {
            all.recordValue(Math.min(micros, all.getHighestTrackableValue()));
            if (label != null) {
                byLabel.computeIfAbsent(label, l -> histogram())
                        .recordValue(Math.min(micros, all.getHighestTrackableValue()));
            }
        }
    }

    private void send(Request request, long scheduledAt, Recorder latencies, Map<Integer, Long> statuses,
                      AtomicLong failures, Runnable after) {
        Future<Integer> outcome;
        if (request instanceof Parallel parallel) {
            outcome = Future.all(parallel.calls().stream().map(this::send).toList()).map(all -> {
                List<Integer> codes = all.list();
                return codes.stream().filter(code -> code / 100 != 2).findFirst().orElse(codes.get(0));
            });
        } else {
            outcome = send((Call) request);
        }
        outcome.onComplete(done -> {
            long micros = Math.max(1, (System.nanoTime() - scheduledAt) / 1000);
            synchronized (latencies) {
                latencies.record(request.label(), micros);
                if (done.succeeded()) {
                    statuses.merge(done.result(), 1L, Long::sum);
                } else {
                    failures.incrementAndGet();
                }
            }
            after.run();
        });
    }

    private Future<Integer> send(Call call) {
        RequestOptions options = new RequestOptions().setMethod(call.method());
        if (call.path().startsWith("http://") || call.path().startsWith("https://")) {
            options.setAbsoluteURI(call.path());
        } else {
            options.setURI(call.path()).setHost(base.getHost()).setPort(base.getPort());
        }
        call.headers().forEach(options::addHeader);
        if (!call.headers().containsKey("Authorization")) {
            BenchAuth.header().ifPresent(value -> options.addHeader("Authorization", value));
        }
        return client.request(options)
                .compose(request -> call.body() == null ? request.send() : request.send(Buffer.buffer(call.body())))
                .compose(response -> response.body().map(body -> response.statusCode()));
    }

    @Override
    public void close() {
        client.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
