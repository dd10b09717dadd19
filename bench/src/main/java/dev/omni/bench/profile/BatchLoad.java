package dev.omni.bench.profile;

import dev.omni.bench.BenchAuth;
import dev.omni.bench.HttpLoad;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs event batches like {@link HttpLoad} does (open loop at a fixed rate with latency from the scheduled time, or a
 * closed loop on a fixed number of connections) but hands every answer's body to a {@link Answers} listener, stamped
 * with the moment it arrived: the per-event results of {@code POST /api/events} and the acceptance time are what this
 * benchmark counts and measures lag from, and {@code HttpLoad} only keeps the status.
 */
final class BatchLoad implements AutoCloseable {

    /** Told of each batch's outcome on the client's event loop; must be quick. */
    interface Answers {
        /** {@code status} and {@code body} of batch {@code seq}; {@code arrivedNanos} is {@link System#nanoTime()}. */
        void answered(long seq, int status, String body, long arrivedNanos);

        /** No answer for batch {@code seq}: connection refused, reset or timed out. */
        void failed(long seq, Throwable cause);
    }

    /** The body of batch {@code seq}, due to be sent at {@code dueNanos} ({@link System#nanoTime()}). */
    interface Bodies {
        String body(long seq, long dueNanos);
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final URI base;
    private final String path;

    BatchLoad(URI base, String path, int connections) {
        this.base = base;
        this.path = path;
        this.vertx = Vertx.vertx();
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(base.getHost())
                        .setDefaultPort(base.getPort()).setKeepAlive(true).setPipelining(false)
                        .setConnectTimeout(5_000).setIdleTimeout(120),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    /**
     * {@code batchesPerSecond} batches for {@code duration}, batch {@code n} due at {@code start + n / rate} whatever
     * the server does; then waits at most {@code drain} for the answers still out. The result's latency runs from
     * when each batch was due, and {@code completed} says how many were answered (or failed) in time.
     */
    HttpLoad.Result fixedRate(Bodies bodies, int batchesPerSecond, Duration duration, Duration drain,
            Answers answers) {
        Stats stats = new Stats();
        long total = batchesPerSecond * duration.toSeconds();
        CompletableFuture<Void> done = new CompletableFuture<>();
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / batchesPerSecond;
        AtomicLong issued = new AtomicLong();
        vertx.setPeriodic(1, timer -> {
            long due = Math.min(total, (System.nanoTime() - start) / intervalNanos + 1);
            while (issued.get() < due) {
                long n = issued.getAndIncrement();
                long dueAt = start + n * intervalNanos;
                post(n, bodies.body(n, dueAt), dueAt, stats, answers, () -> {
                    if (stats.completed.get() == total) {
                        done.complete(null);
                    }
                });
            }
            if (issued.get() >= total) {
                vertx.cancelTimer(timer);
            }
        });
        await(done, duration.plus(drain));
        return stats.result(start);
    }

    /** {@code connections} batches always in flight for {@code duration}; then waits for the last answers. */
    HttpLoad.Result closedLoop(Bodies bodies, int connections, Duration duration, Duration drain,
            Answers answers) {
        Stats stats = new Stats();
        AtomicLong sequence = new AtomicLong();
        AtomicLong inFlight = new AtomicLong(connections);
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
            long n = sequence.getAndIncrement();
            long now = System.nanoTime();
            post(n, bodies.body(n, now), now, stats, answers, next[0]);
        };
        vertx.runOnContext(v -> {
            for (int i = 0; i < connections; i++) {
                next[0].run();
            }
        });
        await(done, duration.plus(drain));
        return stats.result(start);
    }

    private static void await(CompletableFuture<Void> done, Duration limit) {
        try {
            done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            System.err.println("profile-ingest: gave up waiting for the last answers after " + limit.toSeconds()
                    + " s; unanswered batches are counted as such");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void post(long seq, String body, long scheduledAt, Stats stats, Answers answers, Runnable after) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                .setHost(base.getHost()).setPort(base.getPort()).addHeader("Content-Type", "application/json");
        BenchAuth.header().ifPresent(value -> options.addHeader("Authorization", value));
        client.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(answer -> {
                    answers.answered(seq, response.statusCode(), answer.toString(), System.nanoTime());
                    return response.statusCode();
                }))
                .onComplete(outcome -> {
                    if (outcome.failed()) {
                        answers.failed(seq, outcome.cause());
                    }
                    stats.record(scheduledAt, outcome.succeeded() ? outcome.result() : null);
                    after.run();
                });
    }

    /** Counts by status and latencies, shared by the event loop and the caller. */
    private static final class Stats {
        final Histogram latencies = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        final Map<Integer, Long> statuses = new TreeMap<>();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong completed = new AtomicLong();

        synchronized void record(long scheduledAt, Integer status) {
            long micros = Math.max(1, (System.nanoTime() - scheduledAt) / 1000);
            latencies.recordValue(Math.min(micros, latencies.getHighestTrackableValue()));
            if (status != null) {
                statuses.merge(status, 1L, Long::sum);
            } else {
                failures.incrementAndGet();
            }
            completed.incrementAndGet();
        }

        synchronized HttpLoad.Result result(long start) {
            return new HttpLoad.Result(completed.get(), new TreeMap<>(statuses), failures.get(), latencies.copy(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    @Override
    public void close() {
        client.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
