package dev.omni.inventory.subscription;

import dev.omni.inventory.Responses;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.UUID;

@Path("/api/back-in-stock/subscriptions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionResource {

    private final SubscriptionService subscriptions;

    public SubscriptionResource(SubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
    }

    @POST
    @Operation(summary = "Notify a profile when a sku is back at a store, or online without locationId",
            description = "201 for a new subscription; 200 with the waiting one when asked again.")
    public Uni<RestResponse<SubscriptionView>> subscribe(@Valid @NotNull SubscriptionRequest request) {
        return subscriptions.subscribe(request).map(result -> result.created()
                ? Responses.created("/api/back-in-stock/subscriptions/" + result.subscription().id,
                        SubscriptionView.of(result.subscription()))
                : RestResponse.ok(SubscriptionView.of(result.subscription())));
    }

    @GET
    @Operation(summary = "The subscriptions of a profile")
    public Uni<List<SubscriptionView>> ofProfile(@QueryParam("profileId") String profileId) {
        if (profileId == null || profileId.isBlank()) {
            throw Problems.badRequest(Violation.query("profileId", "must not be blank"));
        }
        return subscriptions.ofProfile(profileId).map(list -> list.stream().map(SubscriptionView::of).toList());
    }

    @GET
    @Path("/{id}")
    public Uni<SubscriptionView> get(@PathParam("id") UUID id) {
        return subscriptions.find(id).map(SubscriptionView::of);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Void> cancel(@PathParam("id") UUID id) {
        return subscriptions.cancel(id);
    }
}
