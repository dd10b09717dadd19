package dev.omni.platform.problem;

import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 9457 problems raised by Omni's own rules; quarkus-resteasy-problem renders them as problem+json. */
public final class Problems {

    private Problems() {
    }

    public static HttpProblem badRequest(String detail, List<Violation> violations) {
        return HttpProblem.builder()
                .withStatus(Response.Status.BAD_REQUEST)
                .withTitle("Bad Request")
                .withDetail(detail)
                .with("violations", violations)
                .build();
    }

    public static HttpProblem badRequest(Violation violation) {
        return badRequest(violation.field() + ": " + violation.message(), List.of(violation));
    }

    public static HttpProblem notFound(String detail) {
        return HttpProblem.builder().withStatus(Response.Status.NOT_FOUND).withTitle("Not Found").withDetail(detail)
                .build();
    }

    public static HttpProblem conflict(String detail) {
        return HttpProblem.builder().withStatus(Response.Status.CONFLICT).withTitle("Conflict").withDetail(detail)
                .build();
    }

    /**
     * The same problem+json shape as a response, for exception mappers (which answer rather than throw).
     *
     * @param violations none, or the fields at fault
     */
    public static Response response(Response.Status status, String detail, String instance, List<Violation> violations) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.getStatusCode());
        body.put("title", status.getReasonPhrase());
        if (detail != null) {
            body.put("detail", detail);
        }
        body.put("instance", instance);
        if (!violations.isEmpty()) {
            body.put("violations", violations);
        }
        return Response.status(status).type(new MediaType("application", "problem+json")).entity(body).build();
    }
}
