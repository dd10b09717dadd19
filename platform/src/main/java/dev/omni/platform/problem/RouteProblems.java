package dev.omni.platform.problem;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The problem+json answer for Vert.x route handlers that run before any REST endpoint (token gate, load shedding),
 * the same shape {@link Problems} gives the endpoints: status, title, detail, instance, and the request id when the
 * caller sent one.
 */
public final class RouteProblems {

    private RouteProblems() {
    }

    /** Ends the response with the problem; a response already under way is reset instead. */
    public static void end(RoutingContext rc, int status, String detail) {
        if (rc.response().headWritten()) {
            rc.response().reset();
            return;
        }
        JsonObject problem = new JsonObject()
                .put("status", status)
                .put("title", HttpResponseStatus.valueOf(status).reasonPhrase())
                .put("detail", detail)
                .put("instance", rc.request().path());
        String requestId = rc.request().getHeader("X-Request-Id");
        if (requestId != null) {
            problem.put("requestId", requestId);
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(problem.encode());
    }
}
