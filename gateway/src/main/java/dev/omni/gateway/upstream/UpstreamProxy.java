package dev.omni.gateway.upstream;

import dev.omni.gateway.problem.ProblemResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reverse proxy: streams a request to a service and its response back, built on Vert.x's HTTP proxy
 * ({@link ProxyRequest} drops hop-by-hop headers and pipes bodies both ways without buffering them). Around it:
 * connect and read timeouts, the service's circuit breaker, retries for idempotent requests without a body, a size
 * limit for chunked bodies, and problem+json when the service cannot answer (502, 503, 504).
 */
@ApplicationScoped
public class UpstreamProxy {

    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE);
    private static final String X_FORWARDED_FOR = "X-Forwarded-For";

    /** Upstream connections per event loop, like nginx's per-worker keep-alive pool. */
    private static final int POOL_SIZE_PER_EVENT_LOOP = 32;

    private final Upstreams upstreams;
    private final ServiceToken serviceToken;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final long maxBodySize;
    /**
     * One client per event loop, created on it: its pooled connections live on that loop, so the request, the
     * upstream exchange and the relayed answer all run on the thread that accepted the request, without a hop to
     * another event loop (with one shared client, a connection opened by another loop answers on that loop).
     */
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
    private final HttpClient shared;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public UpstreamProxy(Upstreams upstreams, ServiceToken serviceToken, UpstreamsConfig config, Vertx vertx,
            MeterRegistry registry) {
        this.upstreams = upstreams;
        this.serviceToken = serviceToken;
        this.vertx = vertx;
        this.registry = registry;
        this.maxBodySize = config.maxBodySize().asLongValue();
        this.shared = vertx.createHttpClient(clientOptions());
    }

    private static HttpClientOptions clientOptions() {
        return new HttpClientOptions()
                .setMaxPoolSize(POOL_SIZE_PER_EVENT_LOOP)
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false);
    }

    private HttpClient client() {
        if (!Context.isOnEventLoopThread()) {
            return shared;
        }
        return clients.computeIfAbsent(Thread.currentThread(), thread -> vertx.createHttpClient(clientOptions()));
    }

    @PreDestroy
    void close() {
        clients.values().forEach(HttpClient::close);
        shared.close();
    }

    /** Sends the request on to {@code path} (with the original query) of {@code upstream} and relays the answer. */
    public void forward(RoutingContext rc, Upstream upstream, String path) {
        forward(rc, upstream, path, Optional.empty());
    }

    /**
     * Like {@link #forward(RoutingContext, Upstream, String)} for a public route, whose caller has no token of the
     * realm: the request goes on with the gateway's own token instead of any {@code Authorization} the client sent,
     * when the services check tokens ({@link ServiceToken}).
     */
    public void forwardAsGateway(RoutingContext rc, Upstream upstream, String path) {
        if (!serviceToken.enabled()) {
            forward(rc, upstream, path);
            return;
        }
        Context context = Vertx.currentContext();
        serviceToken.authorization()
                .emitOn(task -> context.runOnContext(ignored -> task.run()))
                .subscribe().with(
                        authorization -> forward(rc, upstream, path, Optional.of(authorization.orElse(""))),
                        failure -> {
                            Log.warnf("no token of the gateway for %s: %s", rc.request().path(), failure);
                            rc.response().putHeader("Retry-After", "5");
                            ProblemResponse.send(rc, 503, "the gateway could not get its own token for "
                                    + upstream.key() + "; retry later", Map.of("upstream", upstream.key()));
                        });
    }

    private void forward(RoutingContext rc, Upstream upstream, String path, Optional<String> authorization) {
        HttpServerRequest request = rc.request();
        ProxyRequest proxyRequest = ProxyRequest.reverseProxy(request);
        authorization.ifPresent(value -> {
            proxyRequest.headers().remove(HttpHeaders.AUTHORIZATION);
            if (!value.isEmpty()) {
                proxyRequest.putHeader(HttpHeaders.AUTHORIZATION, value);
            }
        });
        String query = request.query();
        proxyRequest.setURI(query == null ? path : path + "?" + query);
        addForwardedHeaders(proxyRequest, request);

        boolean bodyless = !hasBody(request);
        LimitedReadStream limited = null;
        if (bodyless) {
            // no body stream to consume, so the same request can be sent again
            proxyRequest.setBody(null);
        } else if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            limited = new LimitedReadStream(request, maxBodySize);
            proxyRequest.setBody(Body.body(limited, -1));
        }
        UpstreamsConfig.Target target = upstreams.target(upstream);
        Uni<ProxyResponse> exchange = upstreams.guarded(upstream, () -> sendOnce(proxyRequest, upstream, target));
        if (bodyless && IDEMPOTENT.contains(request.method()) && target.retries() > 0) {
            exchange = exchange.onFailure(Upstreams::isTransient).retry()
                    .withBackOff(Duration.ofMillis(50), Duration.ofMillis(500)).atMost(target.retries());
        }
        Timer.Sample timing = Timer.start(registry);
        LimitedReadStream bodyLimit = limited;
        exchange.onFailure(UpstreamAnswered.class).recoverWithItem(f -> (ProxyResponse) ((UpstreamAnswered) f).answer)
                .subscribe().with(
                        response -> relay(response, upstream, timing),
                        failure -> fail(rc, upstream, failure, bodyLimit, timing));
    }

    private Uni<ProxyResponse> sendOnce(ProxyRequest proxyRequest, Upstream upstream, UpstreamsConfig.Target target) {
        RequestOptions options = new RequestOptions()
                .setHost(upstreams.host(upstream))
                .setPort(upstreams.port(upstream))
                .setSsl(upstreams.ssl(upstream))
                .setConnectTimeout(target.connectTimeout().toMillis())
                .setIdleTimeout(target.readTimeout().toMillis());
        return Uni.createFrom()
                .completionStage(() -> client().request(options).compose(proxyRequest::send).toCompletionStage())
                .onItem().transformToUni(response -> response.getStatusCode() >= 500
                        ? Uni.createFrom().failure(new UpstreamAnswered(response.getStatusCode(), response))
                        : Uni.createFrom().item(response));
    }

    private void relay(ProxyResponse response, Upstream upstream, Timer.Sample timing) {
        // the gateway's request id, CORS and rate-limit headers are already on the response; the service's would clash
        List<String> clashing = response.headers().names().stream()
                .filter(name -> {
                    String lower = name.toLowerCase(Locale.ROOT);
                    return lower.equals("x-request-id") || lower.startsWith("access-control-")
                            || lower.startsWith("ratelimit-");
                })
                .toList();
        clashing.forEach(response.headers()::remove);
        int status = response.getStatusCode();
        response.send().onFailure(err -> Log.debugf("response of %s not fully relayed: %s", upstream.key(), err));
        timing.stop(timer(upstream, String.valueOf(status)));
    }

    private void fail(RoutingContext rc, Upstream upstream, Throwable failure, LimitedReadStream bodyLimit,
            Timer.Sample timing) {
        if (!rc.request().isEnded()) {
            rc.request().resume();
        }
        if (bodyLimit != null && bodyLimit.exceeded()) {
            timing.stop(timer(upstream, "413"));
            ProblemResponse.tooLarge(rc, maxBodySize);
            return;
        }
        UpstreamException problem = upstreams.classify(upstream, failure);
        timing.stop(timer(upstream, String.valueOf(problem.status())));
        Log.warnf("%s %s -> %s: %s (%s)", rc.request().method(), rc.request().path(), upstream.key(),
                problem.getMessage(), String.valueOf(failure));
        if (problem.retryAfterSeconds() > 0) {
            rc.response().putHeader("Retry-After", String.valueOf(problem.retryAfterSeconds()));
        }
        ProblemResponse.send(rc, problem.status(), problem.getMessage(), Map.of("upstream", upstream.key()));
    }

    private Timer timer(Upstream upstream, String status) {
        // looked up once per upstream and status, not built and registered again on every request
        return timers.computeIfAbsent(upstream.key() + ' ' + status,
                key -> Timer.builder("omni.gateway.upstream.requests")
                        .description("Requests the gateway forwarded to a service, by the status the client got")
                        .tags("upstream", upstream.key(), "status", status)
                        .register(registry));
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        if (request.version() == HttpVersion.HTTP_2) {
            // HTTP/2 frames a body without Transfer-Encoding: only a finished stream surely has none
            return !request.isEnded();
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private static void addForwardedHeaders(ProxyRequest proxyRequest, HttpServerRequest request) {
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String previous = request.getHeader(X_FORWARDED_FOR);
        proxyRequest.putHeader(X_FORWARDED_FOR, previous == null ? client : previous + ", " + client);
        proxyRequest.putHeader("X-Forwarded-Proto", request.scheme());
        if (request.authority() != null) {
            proxyRequest.putHeader("X-Forwarded-Host", request.authority().toString());
        }
    }
}
