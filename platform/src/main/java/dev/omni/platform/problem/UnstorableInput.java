package dev.omni.platform.problem;

import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.hibernate.exception.DataException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * Input that is well-formed but that PostgreSQL cannot hold is the client's fault, so a 400, never a 500:
 * <ul>
 * <li>a path or query parameter containing U+0000 (text and jsonb cannot store it) is refused before the resource
 * runs, naming the parameter;</li>
 * <li>whatever still reaches the database and fails with a <em>data exception</em> (SQLSTATE class 22: NUL in a
 * body's free text, a value too long, a number out of range, an invalid date) is answered 400 with PostgreSQL's
 * reason; the transaction it ran in is rolled back, so nothing is half-written.</li>
 * </ul>
 * Every other database failure stays a 500.
 */
public class UnstorableInput {

    static final String NUL_MESSAGE = "must not contain the NUL character (U+0000)";

    /**
     * Decoding only turns {@code %00} into U+0000 (and HTTP parsers refuse a raw NUL), so a request line without
     * either is let through without decoding its parameters: that is nearly every request.
     */
    @ServerRequestFilter
    public void refuseNul(HttpServerRequest request, UriInfo uri) {
        String raw = request.uri();
        if (raw.indexOf("%00") < 0 && raw.indexOf('\u0000') < 0) {
            return;
        }
        List<Violation> violations = new ArrayList<>();
        uri.getPathParameters(true).forEach((name, values) -> {
            if (values.stream().anyMatch(v -> v.indexOf('\u0000') >= 0)) {
                violations.add(new Violation(name, "path", NUL_MESSAGE));
            }
        });
        uri.getQueryParameters(true).forEach((name, values) -> {
            if (name.indexOf('\u0000') >= 0 || values.stream().anyMatch(v -> v.indexOf('\u0000') >= 0)) {
                violations.add(Violation.query(name.replace('\u0000', '?'), NUL_MESSAGE));
            }
        });
        if (!violations.isEmpty()) {
            throw Problems.badRequest(violations.get(0).field() + ": " + NUL_MESSAGE, violations);
        }
    }

    /** Hibernate (ORM and Reactive) turns every SQLSTATE class 22 into a DataException. */
    @ServerExceptionMapper
    public Response dataException(DataException e, UriInfo uri) {
        return badData(e.getSQLState(), e.getSQLException() == null ? e.getMessage() : e.getSQLException().getMessage(),
                uri);
    }

    /** The reactive client used directly (native SQL): class 22 is the input's fault, anything else is ours. */
    @ServerExceptionMapper
    public Response pgException(PgException e, UriInfo uri) {
        if (e.getSqlState() != null && e.getSqlState().startsWith("22")) {
            return badData(e.getSqlState(), e.getErrorMessage(), uri);
        }
        Log.errorf(e, "database failure on %s", uri.getPath());
        return problem(Response.Status.INTERNAL_SERVER_ERROR, null, uri);
    }

    private static Response badData(String sqlState, String reason, UriInfo uri) {
        Log.debugf("refused input the database cannot hold (%s): %s", sqlState, reason);
        return problem(Response.Status.BAD_REQUEST, "a value cannot be stored: "
                + (reason == null ? "SQLSTATE " + sqlState : reason.replaceFirst("^ERROR: ", "")), uri);
    }

    private static Response problem(Response.Status status, String detail, UriInfo uri) {
        return Problems.response(status, detail, uri.getPath(), List.of());
    }
}
