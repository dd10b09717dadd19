package dev.omni.gateway.problem;

/**
 * One invalid field, in the shape quarkus-resteasy-problem gives bean-validation failures (and the platform's
 * {@code Violation}), so a client reads every 400 of Omni the same way.
 *
 * @param field the field's path, e.g. {@code [3].quantity}
 * @param in    where the field is: body, query, path or header
 */
public record Violation(String field, String in, String message) {

    public static Violation body(String field, String message) {
        return new Violation(field, "body", message);
    }

    public static Violation query(String field, String message) {
        return new Violation(field, "query", message);
    }
}
