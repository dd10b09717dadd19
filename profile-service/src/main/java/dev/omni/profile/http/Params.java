package dev.omni.profile.http;

import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;

import java.util.UUID;

/** Path and query parameters parsed here, so a malformed one is a 400 naming it rather than a bare 404. */
public final class Params {

    private Params() {
    }

    public static UUID uuid(String name, String raw) {
        try {
            return UUID.fromString(raw == null ? "" : raw.trim());
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(new Violation(name, "path", "not a UUID"));
        }
    }

    public static int limit(String name, Integer raw, int fallback, int max) {
        if (raw == null) {
            return fallback;
        }
        if (raw < 1 || raw > max) {
            throw Problems.badRequest(Violation.query(name, "must be between 1 and " + max));
        }
        return raw;
    }
}
