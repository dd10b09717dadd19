package dev.omni.profile.consent;

import dev.omni.profile.http.Params;
import dev.omni.profile.idempotency.IdempotencyKeys;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/api/profiles/{id}/consents")
@Produces(MediaType.APPLICATION_JSON)
public class ConsentResource {

    private final ConsentService consents;

    public ConsentResource(ConsentService consents) {
        this.consents = consents;
    }

    @GET
    @WithSession
    public Uni<ConsentView> get(@PathParam("id") String id) {
        return consents.view(Params.uuid("id", id));
    }

    /** Records a decision; 201 with the profile's consents. Honours {@code Idempotency-Key}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<ConsentView> record(@PathParam("id") String id, @NotNull @Valid ConsentRequest request,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        return consents.record(Params.uuid("id", id), request, idempotencyKey);
    }
}
