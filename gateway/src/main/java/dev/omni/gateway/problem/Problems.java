package dev.omni.gateway.problem;

import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** RFC 9457 problems thrown by the gateway's own endpoints; quarkus-resteasy-problem renders them. */
public final class Problems {

    private Problems() {
    }

    public static HttpProblem badRequest(List<Violation> violations) {
        String detail = violations.size() == 1
                ? violations.get(0).field() + ": " + violations.get(0).message()
                : violations.size() + " invalid fields";
        return HttpProblem.builder()
                .withStatus(Response.Status.BAD_REQUEST)
                .withTitle("Bad Request")
                .withDetail(detail)
                .with("violations", violations)
                .build();
    }

    public static HttpProblem badRequest(Violation violation) {
        return badRequest(List.of(violation));
    }

    public static HttpProblem notFound(String detail) {
        return HttpProblem.builder().withStatus(Response.Status.NOT_FOUND).withTitle("Not Found").withDetail(detail)
                .build();
    }

    public static HttpProblem forbidden(String detail) {
        return HttpProblem.builder().withStatus(Response.Status.FORBIDDEN).withTitle("Forbidden").withDetail(detail)
                .build();
    }

    /** The request was fine but a dependency was not: the client may retry after {@code retryAfterSeconds}. */
    public static HttpProblem unavailable(String detail, long retryAfterSeconds) {
        return of(503, detail, retryAfterSeconds);
    }

    public static HttpProblem badGateway(String detail) {
        return of(502, detail, 0);
    }

    /** Any status; a {@code Retry-After} header when {@code retryAfterSeconds} is above 0. */
    public static HttpProblem of(int status, String detail, long retryAfterSeconds) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        HttpProblem.Builder problem = HttpProblem.builder().withStatus(status)
                .withTitle(type == null ? "Error" : type.getReasonPhrase()).withDetail(detail);
        if (retryAfterSeconds > 0) {
            problem.withHeader("Retry-After", retryAfterSeconds);
        }
        return problem.build();
    }
}
