package dev.omni.gateway.upstream;

import io.netty.channel.ConnectTimeoutException;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The services behind the gateway: where each one is, and one circuit breaker per service that the proxy and the
 * aggregating endpoints share, so a failing service fails fast everywhere instead of tying up connections.
 */
@ApplicationScoped
public class Upstreams {

    private static final TypeLiteral<Uni<Object>> UNI = new TypeLiteral<>() {
    };

    private final Map<Upstream, UpstreamsConfig.Target> targets = new EnumMap<>(Upstream.class);
    private final Map<Upstream, Guard> breakers = new EnumMap<>(Upstream.class);

    public Upstreams(UpstreamsConfig config) {
        for (Upstream upstream : Upstream.values()) {
            UpstreamsConfig.Target target = config.upstreams().get(upstream.key());
            if (target == null) {
                throw new IllegalStateException("omni.gateway.upstreams." + upstream.key() + ".url is not set");
            }
            targets.put(upstream, target);
            UpstreamsConfig.CircuitBreaker breaker = target.circuitBreaker();
            breakers.put(upstream, Guard.create()
                    .withDescription("upstream " + upstream.key())
                    .withCircuitBreaker()
                    .name("upstream-" + upstream.key())
                    .requestVolumeThreshold(breaker.requestVolume())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(1)
                    .done()
                    .withThreadOffload(false)
                    .build());
        }
    }

    public UpstreamsConfig.Target target(Upstream upstream) {
        return targets.get(upstream);
    }

    public String host(Upstream upstream) {
        return targets.get(upstream).url().getHost();
    }

    public int port(Upstream upstream) {
        URI url = targets.get(upstream).url();
        return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }

    public boolean ssl(Upstream upstream) {
        return "https".equals(targets.get(upstream).url().getScheme());
    }

    /**
     * Runs {@code call} through the service's circuit breaker: every failure of the returned Uni counts against the
     * service, and while the breaker is open the call is not made at all.
     */
    @SuppressWarnings("unchecked")
    public <T> Uni<T> guarded(Upstream upstream, Supplier<Uni<T>> call) {
        Guard breaker = breakers.get(upstream);
        return Uni.createFrom().deferred(() -> (Uni<T>) breaker.get(() -> (Uni<Object>) call.get(), UNI));
    }

    /** What the client is told when a call to {@code upstream} failed with {@code failure}. */
    public UpstreamException classify(Upstream upstream, Throwable failure) {
        if (failure instanceof UpstreamException known) {
            return known;
        }
        UpstreamsConfig.Target target = targets.get(upstream);
        if (failure instanceof CircuitBreakerOpenException) {
            long retryAfter = Math.max(1, (target.circuitBreaker().delay().toMillis() + 999) / 1000);
            return new UpstreamException(upstream, 503, upstream.key() + " is failing; calls are paused", retryAfter,
                    failure);
        }
        if (isTimeout(failure)) {
            return new UpstreamException(upstream, 504,
                    upstream.key() + " did not answer in time", 0, failure);
        }
        return new UpstreamException(upstream, 502, upstream.key() + " could not be reached", 0, failure);
    }

    /** Failures worth another attempt of an idempotent request: the service was unreachable or silent. */
    public static boolean isTransient(Throwable failure) {
        return !(failure instanceof CircuitBreakerOpenException) && !(failure instanceof UpstreamException)
                && !(failure instanceof UpstreamAnswered);
    }

    static boolean isTimeout(Throwable failure) {
        return failure instanceof TimeoutException || failure instanceof ConnectTimeoutException;
    }
}
