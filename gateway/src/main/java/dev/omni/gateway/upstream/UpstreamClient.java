package dev.omni.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * JSON calls the gateway makes itself (to compose {@code /api/me} and availability), with the caller's token and
 * request id, the service's timeouts and the same circuit breaker the proxy uses. GETs are retried like the
 * proxy's idempotent requests.
 */
@ApplicationScoped
public class UpstreamClient {

    private final Upstreams upstreams;
    private final WebClient client;
    private final ObjectMapper mapper;

    public UpstreamClient(Upstreams upstreams, Vertx vertx, ObjectMapper mapper) {
        this.upstreams = upstreams;
        this.mapper = mapper;
        this.client = WebClient.create(vertx, new WebClientOptions().setMaxPoolSize(32).setKeepAlive(true));
    }

    /** A service's answer: its status, content type and JSON body ({@code null} when there was none or not JSON). */
    public record Answer(int status, String contentType, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Headers that make a call on behalf of the caller: their token (services validate it again) and the request id. */
    public static Map<String, String> onBehalfOf(String rawToken, String requestId) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Authorization", "Bearer " + rawToken);
        if (requestId != null) {
            headers.put("X-Request-Id", requestId);
        }
        return headers;
    }

    public Uni<Answer> get(Upstream upstream, String uri, Map<String, String> headers) {
        return call(upstream, HttpMethod.GET, uri, headers, null);
    }

    public Uni<Answer> post(Upstream upstream, String uri, Map<String, String> headers, Object body) {
        return call(upstream, HttpMethod.POST, uri, headers, body);
    }

    /**
     * Fails with an {@link UpstreamException} (502/503/504) when the service cannot answer; any status it does answer
     * with, 5xx included, comes back as an {@link Answer}.
     */
    public Uni<Answer> call(Upstream upstream, HttpMethod method, String uri, Map<String, String> headers,
            Object body) {
        UpstreamsConfig.Target target = upstreams.target(upstream);
        Uni<Answer> exchange = upstreams.guarded(upstream, () -> sendOnce(upstream, target, method, uri, headers, body));
        if (method == HttpMethod.GET && target.retries() > 0) {
            exchange = exchange.onFailure(Upstreams::isTransient).retry()
                    .withBackOff(Duration.ofMillis(50), Duration.ofMillis(500)).atMost(target.retries());
        }
        return exchange
                .onFailure(UpstreamAnswered.class).recoverWithItem(f -> (Answer) ((UpstreamAnswered) f).answer)
                .onFailure(f -> !(f instanceof UpstreamException))
                .transform(f -> upstreams.classify(upstream, f));
    }

    private Uni<Answer> sendOnce(Upstream upstream, UpstreamsConfig.Target target, HttpMethod method, String uri,
            Map<String, String> headers, Object body) {
        RequestOptions options = new RequestOptions()
                .setHost(upstreams.host(upstream))
                .setPort(upstreams.port(upstream))
                .setSsl(upstreams.ssl(upstream))
                .setURI(uri)
                .setConnectTimeout(target.connectTimeout().toMillis())
                .setIdleTimeout(target.readTimeout().toMillis());
        HttpRequest<Buffer> request = client.request(method, options).putHeader("Accept", "application/json");
        headers.forEach(request::putHeader);
        Uni<HttpResponse<Buffer>> sent = body == null ? request.send()
                : request.putHeader("Content-Type", "application/json").sendBuffer(json(body));
        return sent.map(this::answer)
                .onItem().transformToUni(answer -> answer.status() >= 500
                        ? Uni.createFrom().failure(new UpstreamAnswered(answer.status(), answer))
                        : Uni.createFrom().item(answer));
    }

    private Answer answer(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        String type = response.getHeader("Content-Type");
        if (body == null || body.length() == 0) {
            return new Answer(response.statusCode(), type, null);
        }
        try {
            return new Answer(response.statusCode(), type, mapper.readTree(body.getBytes()));
        } catch (IOException notJson) {
            return new Answer(response.statusCode(), type, null);
        }
    }

    private Buffer json(Object body) {
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise " + body.getClass().getSimpleName(), e);
        }
    }
}
