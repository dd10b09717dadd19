package dev.omni.profile.support;

import dev.omni.profile.http.Params;
import dev.omni.profile.idempotency.IdempotencyKeys;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;

@Path("/api/profiles/{id}/support-contacts")
@Produces(MediaType.APPLICATION_JSON)
public class SupportResource {

    private final SupportService support;

    public SupportResource(SupportService support) {
        this.support = support;
    }

    @GET
    @WithSession
    public Uni<List<SupportRequests.ContactView>> list(@PathParam("id") String id) {
        return support.list(Params.uuid("id", id));
    }

    /** Opens a contact; 201. Honours {@code Idempotency-Key}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<SupportRequests.ContactView> open(@PathParam("id") String id, @NotNull @Valid SupportRequests.Open body,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        return support.open(Params.uuid("id", id), body, idempotencyKey);
    }

    @PATCH
    @Path("/{contactId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SupportRequests.ContactView> followUp(@PathParam("id") String id,
            @PathParam("contactId") String contactId, @NotNull @Valid SupportRequests.FollowUp body) {
        return support.followUp(Params.uuid("id", id), Params.uuid("contactId", contactId), body);
    }
}
