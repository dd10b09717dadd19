package dev.omni.gateway.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omni.gateway.problem.ProblemResponse;
import dev.omni.gateway.problem.Violation;
import dev.omni.gateway.ratelimit.RateLimiter;
import dev.omni.gateway.route.RequestIds;
import dev.omni.gateway.upstream.Upstream;
import dev.omni.gateway.upstream.ServiceToken;
import dev.omni.gateway.upstream.UpstreamClient;
import dev.omni.gateway.upstream.UpstreamException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Segment's HTTP Tracking API on the gateway, so the analytics SDKs a shop already uses send to Omni by changing
 * their host: {@code POST /v1/track|identify|page|screen|group|alias|batch|import} (and analytics.js' short
 * {@code /v1/t|i|p|s|g|a|b}). The write key (HTTP Basic user name, or {@code writeKey} in the body) names the source
 * and its channel. Bodies may be gzip. A call is checked whole — size (32 KB per call and per message, 500 KB per
 * batch, uncompressed), JSON, every message — and then sent to profile-service's {@code POST /api/events} with
 * {@code atomic=true}, the same pipeline as Omni's own events: identity resolution, dedupe by messageId,
 * {@code omni.interactions}. So a call is taken whole or refused whole: 200 {@code {"success": true}} or a 400 that
 * names every wrong field, and nothing of a refused call is ingested.
 */
@ApplicationScoped
public class SegmentApi {

    /** After request ids (-400), CORS and authentication; before Quarkus' body limit (-2) and the REST endpoints. */
    static final int ORDER = -45;
    /** profile-service takes at most 500 events per request; longer batches go in several, in order. */
    static final int FORWARD_CHUNK = 500;
    static final String RATE_LIMIT_POLICY = "segment";
    /** Segment answers once a call is durably accepted, not resolved: so does profile-service with wait=false. */
    private static final String EVENTS = "/api/events?atomic=true&wait=false";
    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("track", "track"), Map.entry("t", "track"),
            Map.entry("identify", "identify"), Map.entry("i", "identify"),
            Map.entry("page", "page"), Map.entry("p", "page"),
            Map.entry("screen", "screen"), Map.entry("s", "screen"),
            Map.entry("group", "group"), Map.entry("g", "group"),
            Map.entry("alias", "alias"), Map.entry("a", "alias"),
            Map.entry("batch", "batch"), Map.entry("b", "batch"), Map.entry("import", "batch"));
    private static final Pattern PROFILE_INDEX = Pattern.compile("^\\[(\\d+)]\\.?(.*)$");
    private static final Logger LOG = Logger.getLogger(SegmentApi.class);

    private final SegmentSources sources;
    private final SegmentMapper segment;
    private final RateLimiter rateLimiter;
    private final UpstreamClient upstream;
    private final ServiceToken serviceToken;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;
    private final long maxCall;
    private final long maxBatch;
    private final int maxBatchEvents;

    public SegmentApi(SegmentSources sources, SegmentConfig config, RateLimiter rateLimiter, UpstreamClient upstream,
            ServiceToken serviceToken, ObjectMapper mapper, MeterRegistry metrics) {
        this.sources = sources;
        this.serviceToken = serviceToken;
        this.rateLimiter = rateLimiter;
        this.upstream = upstream;
        this.mapper = mapper;
        this.metrics = metrics;
        this.maxCall = config.maxCallSize().asLongValue();
        this.maxBatch = config.maxBatchSize().asLongValue();
        this.maxBatchEvents = config.maxBatchEvents();
        this.segment = new SegmentMapper(mapper, maxCall);
    }

    void register(@Observes Router router) {
        router.route("/v1/*").order(ORDER).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        request.pause();
        String path = rc.normalizedPath();
        String name = path.length() > "/v1/".length() ? path.substring("/v1/".length()).replaceAll("/+$", "") : "";
        String kind = KINDS.get(name.toLowerCase(Locale.ROOT));
        if (kind == null) {
            fail(rc, 404, "no Segment API at " + rc.normalizedPath() + "; the calls are /v1/track, /v1/identify, "
                    + "/v1/page, /v1/screen, /v1/group, /v1/alias, /v1/batch and /v1/import", List.of());
            return;
        }
        if (request.method() != HttpMethod.POST) {
            rc.response().putHeader("Allow", "POST");
            fail(rc, 405, request.method() + " is not allowed on " + rc.normalizedPath() + "; use POST", List.of());
            return;
        }
        boolean batch = "batch".equals(kind);
        long limit = batch ? maxBatch : maxCall;
        String declared = request.getHeader("Content-Length");
        if (declared != null && parseLong(declared) > limit) {
            tooLarge(rc, limit, batch);
            return;
        }
        Optional<String> basicKey = basicUser(request.getHeader("Authorization"));
        Optional<SegmentSources.Source> source = basicKey.flatMap(sources::of);
        if (basicKey.isPresent() && source.isEmpty()) {
            unauthorised(rc);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                refused[0] = true;
                tooLarge(rc, limit, batch);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(failure -> {
            refused[0] = true;
            if (!rc.response().ended()) {
                rc.response().setStatusCode(400).end();
            }
        });
        request.endHandler(ended -> {
            if (!refused[0]) {
                receive(rc, kind, body, source, limit);
            }
        });
        request.resume();
    }

    private void receive(RoutingContext rc, String kind, Buffer raw, Optional<SegmentSources.Source> bySignIn,
            long limit) {
        Instant receivedAt = Instant.now();
        boolean batch = "batch".equals(kind);
        byte[] bytes;
        String encoding = Optional.ofNullable(rc.request().getHeader("Content-Encoding")).orElse("identity")
                .trim().toLowerCase(Locale.ROOT);
        if ("gzip".equals(encoding)) {
            try {
                bytes = gunzip(raw.getBytes(), limit);
            } catch (IOException e) {
                fail(rc, 400, "the body is not valid gzip", List.of(Violation.body("body", "not valid gzip")));
                return;
            }
            if (bytes == null) {
                tooLarge(rc, limit, batch);
                return;
            }
        } else if ("identity".equals(encoding) || encoding.isEmpty()) {
            bytes = raw.getBytes();
        } else {
            fail(rc, 400, "Content-Encoding " + encoding + " is not supported; send gzip or no encoding",
                    List.of(new Violation("Content-Encoding", "header", "must be gzip or absent")));
            return;
        }
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            fail(rc, 400, "the body is not a JSON object", List.of(Violation.body("body", "invalid JSON")));
            return;
        }
        Optional<SegmentSources.Source> source = bySignIn.isPresent() ? bySignIn
                : Optional.ofNullable(root.get("writeKey")).filter(JsonNode::isTextual).map(JsonNode::asText)
                        .flatMap(sources::of);
        if (source.isEmpty()) {
            unauthorised(rc);
            return;
        }
        if (!rateLimiter.admit(RATE_LIMIT_POLICY, source.get().name(), rc.response())) {
            fail(rc, 429, "too many calls for source " + source.get().name(), List.of());
            return;
        }
        SegmentMapper.Mapped mapped = batch
                ? segment.batch(root, source.get().channel(), receivedAt, maxBatchEvents)
                : segment.single(kind, root, source.get().channel(), receivedAt);
        if (!mapped.valid()) {
            fail(rc, 400, mapped.violations().size() == 1
                    ? mapped.violations().get(0).field() + ": " + mapped.violations().get(0).message()
                    : mapped.violations().size() + " invalid fields; nothing of the call was taken",
                    mapped.violations());
            return;
        }
        Context context = Vertx.currentContext();
        forward(mapped, 0, RequestIds.of(rc), batch)
                .emitOn(task -> context.runOnContext(ignored -> task.run()))
                .subscribe().with(
                        refusal -> {
                            if (refusal == null) {
                                metrics.counter("omni.gateway.segment.events", "source", source.get().name())
                                        .increment(mapped.events().size());
                                rc.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                                        .end("{\"success\":true}");
                            } else {
                                fail(rc, 400, refusal.detail, refusal.violations);
                            }
                        },
                        failure -> {
                            UpstreamException problem = failure instanceof UpstreamException known ? known
                                    : new UpstreamException(Upstream.PROFILE, 502, "profile-service failed", 0,
                                            failure);
                            if (!(failure instanceof UpstreamException)) {
                                LOG.warn("Segment call not forwarded", failure);
                            }
                            if (problem.retryAfterSeconds() > 0) {
                                rc.response().putHeader("Retry-After", String.valueOf(problem.retryAfterSeconds()));
                            }
                            fail(rc, problem.status(), problem.getMessage(), List.of());
                        });
    }

    /** profile-service refused the events (its identity rules): what to tell the sender. */
    private record Refusal(String detail, List<Violation> violations) {
    }

    /**
     * Sends the events in chunks of {@link #FORWARD_CHUNK}, in order, each taken whole or refused whole by
     * profile-service. Emits {@code null} when all were taken.
     */
    private Uni<Refusal> forward(SegmentMapper.Mapped mapped, int from, String requestId, boolean batch) {
        if (from >= mapped.events().size()) {
            return Uni.createFrom().nullItem();
        }
        int to = Math.min(mapped.events().size(), from + FORWARD_CHUNK);
        // a write key is no token: profile-service gets the gateway's own token (when it checks tokens)
        return serviceToken.authorization().chain(authorization -> {
            Map<String, String> headers = new HashMap<>();
            if (requestId != null) {
                headers.put(RequestIds.HEADER, requestId);
            }
            authorization.ifPresent(value -> headers.put("Authorization", value));
            return upstream.post(Upstream.PROFILE, EVENTS, headers,
                    SegmentMapper.array(mapped.events().subList(from, to)));
        })
                .chain(answer -> {
                    if (answer.ok() && answer.body() != null && answer.body().path("rejected").asLong() == 0) {
                        return forward(mapped, to, requestId, batch);
                    }
                    if (answer.status() == 400) {
                        return Uni.createFrom().item(refusal(answer.body(), mapped.origins().subList(from, to),
                                batch));
                    }
                    return Uni.createFrom().failure(new UpstreamException(Upstream.PROFILE, 502,
                            "profile-service answered " + answer.status() + " to the events", 0, null));
                });
    }

    /** profile's {@code [i].identifiers.email} becomes {@code batch[origin of i].identifiers.email}. */
    private static Refusal refusal(JsonNode problem, List<Integer> origins, boolean batch) {
        List<Violation> violations = new ArrayList<>();
        if (problem != null) {
            for (JsonNode v : problem.path("violations")) {
                String field = v.path("field").asText("body");
                Matcher indexed = PROFILE_INDEX.matcher(field);
                if (indexed.matches() && Integer.parseInt(indexed.group(1)) < origins.size()) {
                    int origin = origins.get(Integer.parseInt(indexed.group(1)));
                    String rest = indexed.group(2);
                    field = (batch ? "batch[" + origin + "]" : "") + (rest.isEmpty() ? "" : (batch ? "." : "") + rest);
                }
                violations.add(Violation.body(field, v.path("message").asText()));
            }
        }
        String detail = violations.size() == 1 ? violations.get(0).field() + ": " + violations.get(0).message()
                : "refused by Omni's identity rules; nothing of the call was taken";
        return new Refusal(detail, violations);
    }

    /** Decompresses up to {@code limit} bytes; {@code null} when there are more. */
    static byte[] gunzip(byte[] gzip, long limit) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) != -1) {
                out.write(buffer, 0, read);
                if (out.size() > limit) {
                    return null;
                }
            }
            return out.toByteArray();
        }
    }

    /** The write key from {@code Authorization: Basic base64(writeKey:)}. */
    static Optional<String> basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return Optional.of(colon < 0 ? decoded : decoded.substring(0, colon));
        } catch (IllegalArgumentException notBase64) {
            return Optional.of("");
        }
    }

    private void unauthorised(RoutingContext rc) {
        rc.response().putHeader("WWW-Authenticate", "Basic realm=\"Omni Segment API\"");
        fail(rc, 401, "unknown write key: send a configured write key as the HTTP Basic user name", List.of());
    }

    private void tooLarge(RoutingContext rc, long limit, boolean batch) {
        rc.response().putHeader("Connection", "close")
                .endHandler(ended -> rc.request().connection().close());
        fail(rc, 400, (batch ? "a batch" : "a call") + " may have at most " + limit / 1024 + " KB",
                List.of(Violation.body("body", "larger than " + limit + " bytes")));
    }

    /**
     * Segment's refusal ({@code success: false} and {@code message}) in Omni's problem+json, with the violations.
     */
    private static void fail(RoutingContext rc, int status, String detail, List<Violation> violations) {
        JsonArray list = new JsonArray();
        violations.forEach(v -> list.add(new JsonObject().put("field", v.field()).put("in", v.in())
                .put("message", v.message())));
        JsonObject extra = new JsonObject().put("success", false).put("message", detail);
        if (!violations.isEmpty()) {
            extra.put("violations", list);
        }
        ProblemResponse.send(rc, status, detail, extra.getMap());
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
