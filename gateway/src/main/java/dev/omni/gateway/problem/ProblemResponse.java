package dev.omni.gateway.problem;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * Writes problem+json from the gateway's Vert.x handlers (routing, auth, rate limits, upstream failures) in the same
 * shape quarkus-resteasy-problem gives the REST endpoints: {@code status, title, detail, instance, requestId}.
 */
public final class ProblemResponse {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String REQUEST_ID = "X-Request-Id";

    private ProblemResponse() {
    }

    public static void send(RoutingContext rc, int status, String detail) {
        send(rc, status, detail, Map.of());
    }

    /** 413, and the connection is closed after it rather than reading an unwanted body to its end. */
    public static void tooLarge(RoutingContext rc, long limit) {
        rc.response().putHeader("Connection", "close")
                .endHandler(ended -> rc.request().connection().close());
        send(rc, 413, "the request body is larger than " + limit + " bytes");
    }

    public static void send(RoutingContext rc, int status, String detail, Map<String, Object> extra) {
        HttpServerResponse response = rc.response();
        if (response.headWritten()) {
            // too late for a problem: the upstream's status line is out, so cut the stream to show it is incomplete
            response.reset();
            return;
        }
        JsonObject problem = new JsonObject()
                .put("status", status)
                .put("title", HttpResponseStatus.valueOf(status).reasonPhrase())
                .put("detail", detail)
                .put("instance", rc.request().path());
        String requestId = response.headers().get(REQUEST_ID);
        if (requestId != null) {
            problem.put("requestId", requestId);
        }
        extra.forEach(problem::put);
        if (!rc.request().isEnded()) {
            // the body will not be read: let it drain instead of stalling the connection
            rc.request().resume();
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", CONTENT_TYPE)
                .end(problem.encode());
    }
}
