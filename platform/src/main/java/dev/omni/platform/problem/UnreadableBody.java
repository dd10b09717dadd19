package dev.omni.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * A request body that is not JSON, or not JSON of the shape an endpoint reads (a number where an object belongs, an
 * array of junk, nesting deeper than Jackson allows), answered like every other 400: problem+json naming the field
 * where Jackson can tell it, {@code body} otherwise. Quarkus's own mapper answers these with an empty 400.
 */
public class UnreadableBody {

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        String type = e.getTargetType() == null ? "another JSON type" : describe(e.getTargetType());
        return bad(e, "must be " + type, uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        String reason = e.getOriginalMessage() == null ? "not readable JSON" : e.getOriginalMessage();
        return bad(e, reason.lines().findFirst().orElse(reason), uri);
    }

    private static Response bad(JsonProcessingException e, String message, UriInfo uri) {
        String field = e instanceof JsonMappingException mapping ? path(mapping) : "body";
        Violation violation = Violation.body(field, message);
        return Problems.response(Response.Status.BAD_REQUEST, field + ": " + message, uri.getPath(), List.of(violation));
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String describe(Class<?> type) {
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "an object";
    }
}
