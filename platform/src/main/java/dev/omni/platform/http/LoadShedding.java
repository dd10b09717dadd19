package dev.omni.platform.http;

import dev.omni.platform.problem.RouteProblems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sheds load instead of queueing it without bound: at most {@code omni.http.max-in-flight} {@code /api} requests are
 * served at once; one more is answered at once with 503 problem+json and {@code Retry-After}, before any work.
 * <p>
 * Why: every request needs a connection of the database pool (20). Past the service's capacity the pool's wait queue
 * grew until waits passed the pool's 30 s timeout, and after a burst of such timeouts the pool stayed exhausted with
 * every connection idle in PostgreSQL — the service answered nothing but 500s until restarted
 * ({@code bench/inventory/run --phases=b --movement-rate=200} on a 2-core machine, docs/reliability.md). Bounding
 * what is in flight bounds the pool's queue, so its timeout is never reached; a client that gets 503 retries.
 */
@ApplicationScoped
public class LoadShedding {

    /** Before authentication (-200): a refused request costs no token check. */
    static final int ORDER = -300;

    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter shed;

    public LoadShedding(HttpLimitsConfig config, MeterRegistry registry) {
        this.maxInFlight = config.maxInFlight();
        this.shed = Counter.builder("omni.http.shed").description("/api requests refused with 503: too many in flight")
                .register(registry);
        Gauge.builder("omni.http.in-flight", inFlight, AtomicInteger::get)
                .description("/api requests being served").register(registry);
    }

    void register(@Observes Router router) {
        if (maxInFlight > 0) {
            router.route("/api/*").order(ORDER).handler(this::admit);
        }
    }

    void admit(RoutingContext rc) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            shed.increment();
            rc.response().putHeader("Retry-After", "1");
            RouteProblems.end(rc, 503, "more than " + maxInFlight + " requests in flight; retry after the Retry-After "
                    + "seconds");
            return;
        }
        // called once, when the response ended or the connection closed under it
        rc.addEndHandler(ended -> inFlight.decrementAndGet());
        rc.next();
    }
}
