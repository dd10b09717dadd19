package dev.omni.profile.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import dev.omni.profile.http.Params;
import dev.omni.profile.idempotency.IdempotencyKeys;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;
import java.util.UUID;

/** Segment definitions and their members. */
@Path("/api/segments")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentResource {

    static final int MAX_PAGE = 1000;

    private final SegmentService segments;

    public SegmentResource(SegmentService segments) {
        this.segments = segments;
    }

    @GET
    @WithSession
    public Uni<List<SegmentView>> list() {
        return segments.list();
    }

    /** Creates a segment; 201. Existing profiles are evaluated by the next sweep. Honours {@code Idempotency-Key}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<SegmentView> create(@RequestBody(required = true) JsonNode body,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        return segments.create(body, idempotencyKey);
    }

    /**
     * How many customers a definition (the body {@code POST} takes, the name optional) would hold now, and up to 10
     * of them; nothing is saved.
     */
    @POST
    @Path("/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithSession
    public Uni<SegmentView.Preview> preview(@RequestBody(required = true) JsonNode body) {
        return segments.preview(body);
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<SegmentView> get(@PathParam("id") String id) {
        return segments.get(Params.uuid("id", id));
    }

    /** Replaces the definition; every profile is evaluated again by the next sweep. */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SegmentView> update(@PathParam("id") String id, @RequestBody(required = true) JsonNode body) {
        return segments.update(Params.uuid("id", id), body);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") String id) {
        return segments.delete(Params.uuid("id", id));
    }

    /** Members in profile id order, {@code limit} (default 100, at most 1000) after {@code after}. */
    @GET
    @Path("/{id}/members")
    @WithSession
    public Uni<SegmentView.Members> members(@PathParam("id") String id, @QueryParam("after") String after,
            @QueryParam("limit") Integer limit) {
        UUID cursor = null;
        if (after != null) {
            try {
                cursor = UUID.fromString(after);
            } catch (IllegalArgumentException e) {
                throw Problems.badRequest(Violation.query("after", "a profile id (UUID)"));
            }
        }
        return segments.members(Params.uuid("id", id), cursor, Params.limit("limit", limit, 100, MAX_PAGE));
    }
}
