package dev.omni.profile.loyalty;

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

@Path("/api/profiles/{id}/loyalty")
@Produces(MediaType.APPLICATION_JSON)
public class LoyaltyResource {

    private final LoyaltyService loyalty;

    public LoyaltyResource(LoyaltyService loyalty) {
        this.loyalty = loyalty;
    }

    @GET
    @WithSession
    public Uni<LoyaltyView> get(@PathParam("id") String id) {
        return loyalty.view(Params.uuid("id", id));
    }

    /** Spends points; 201, or 409 when the balance is short. Honours {@code Idempotency-Key}. */
    @POST
    @Path("/redemptions")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<Redemption.Result> redeem(@PathParam("id") String id, @NotNull @Valid Redemption.Request body,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        return loyalty.redeem(Params.uuid("id", id), body, idempotencyKey);
    }
}
