package dev.omni.console.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** The gateway (or a service behind it) refused or failed: its problem+json, kept to be shown in words. */
public class GatewayException extends RuntimeException {

    private final int status;
    private final String title;
    private final String detail;
    private final List<String> violations;

    public GatewayException(int status, String title, String detail, List<String> violations) {
        super(status + " " + title + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.violations = List.copyOf(violations);
    }

    /** From a problem+json body; a body that is not one still gives the status. */
    static GatewayException fromProblem(int status, JsonNode problem) {
        String title = text(problem, "title");
        String detail = text(problem, "detail");
        List<String> violations = new ArrayList<>();
        if (problem != null && problem.path("violations").isArray()) {
            for (JsonNode v : problem.get("violations")) {
                String field = text(v, "field");
                violations.add((field == null ? "" : field + ": ") + text(v, "message"));
            }
        }
        String shown = title == null ? "HTTP " + status : title;
        return status >= 502 && status <= 504 ? new GatewayUnavailableException(status, shown, detail, violations)
                : new GatewayException(status, shown, detail, violations);
    }

    /** The gateway could not be reached or did not answer in time. */
    static GatewayException unreachable(Throwable cause) {
        return new GatewayUnavailableException(503, "The gateway did not answer", cause.getMessage(), List.of());
    }

    private static String text(JsonNode node, String field) {
        return node != null && node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public List<String> violations() {
        return violations;
    }
}
