package dev.omni.inventory.reservation;

import dev.omni.inventory.Responses;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

@Path("/api/reservations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ReservationResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    private final ReservationService reservations;

    public ReservationResource(ReservationService reservations) {
        this.reservations = reservations;
    }

    public record Extension(String by) {
    }

    public record Commitment(String orderId) {
    }

    @POST
    @Operation(summary = "Reserve one or more lines (click and collect: name pickupLocationId)",
            description = "201 with the reservation; 409 when a sku@location has too little available (nothing is "
                    + "reserved); with Idempotency-Key, a repeat returns the first reservation (200, header "
                    + "Idempotent-Replayed: true) and a different body with the same key is 422.")
    public Uni<RestResponse<ReservationView>> create(@Valid @NotNull ReservationRequest request,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        return reservations.create(request, idempotencyKey).map(created -> created.replayed()
                ? RestResponse.ResponseBuilder.ok(created.reservation()).header(REPLAYED, "true").build()
                : Responses.created("/api/reservations/" + created.reservation().id(), created.reservation()));
    }

    @GET
    @Path("/{id}")
    public Uni<ReservationView> get(@PathParam("id") UUID id) {
        return reservations.find(id);
    }

    @GET
    @Operation(summary = "Reservations newest first: a customer's (profileId, with the profiles merged into it), "
            + "those at risk (status=at_risk), or both; locationId keeps those with a line there",
            description = "limit 1 to 500, default 100; profileId or status is required")
    public Uni<List<ReservationView>> list(@QueryParam("profileId") String profileId,
            @QueryParam("status") String status, @QueryParam("locationId") String locationId,
            @QueryParam("limit") String limit) {
        return reservations.list(ReservationQuery.parse(profileId, status, locationId, limit));
    }

    @POST
    @Path("/{id}/extend")
    @Operation(summary = "Push the expiry back, e.g. {\"by\":\"PT10M\"}")
    public Uni<ReservationView> extend(@PathParam("id") UUID id, @NotNull Extension extension) {
        Duration by;
        try {
            by = extension.by() == null ? null : Duration.parse(extension.by());
        } catch (DateTimeParseException e) {
            by = null;
        }
        return reservations.extend(id, by);
    }

    @POST
    @Path("/{id}/release")
    @Operation(summary = "Give the units back (also cancels a committed order's hold)")
    public Uni<ReservationView> release(@PathParam("id") UUID id) {
        return reservations.release(id);
    }

    @POST
    @Path("/{id}/commit")
    @Operation(summary = "Order placed: reserved units become committed and stop expiring")
    public Uni<ReservationView> commit(@PathParam("id") UUID id, Commitment commitment) {
        String orderId = commitment == null ? null : commitment.orderId();
        if (orderId != null && (orderId.isBlank() || orderId.length() > 200)) {
            throw Problems.badRequest(Violation.body("orderId", "1 to 200 characters"));
        }
        return reservations.commit(id, orderId);
    }

    @POST
    @Path("/{id}/fulfil")
    @Operation(summary = "Handed to the customer: the units leave on hand")
    public Uni<ReservationView> fulfil(@PathParam("id") UUID id) {
        return reservations.fulfil(id);
    }
}
