package dev.omni.inventory.location;

import dev.omni.inventory.Responses;
import dev.omni.inventory.availability.AvailabilityIndex;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.Locale;

@Path("/api/locations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LocationResource {

    private final LocationService locations;
    private final AvailabilityIndex index;

    public LocationResource(LocationService locations, AvailabilityIndex index) {
        this.locations = locations;
        this.index = index;
    }

    @POST
    @Operation(summary = "Create a store, warehouse or online DC", description = "409 when the id exists.")
    public Uni<RestResponse<LocationView>> create(@Valid @NotNull LocationRequest request) {
        // committed: the availability index of this replica knows it at once, the others at their next refresh
        return locations.create(request).invoke(index::put).map(location -> Responses.created("/api/locations/" + location.id,
                LocationView.of(location)));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace a location's attributes")
    public Uni<LocationView> update(@PathParam("id") String id, @Valid @NotNull LocationRequest request) {
        return locations.update(id, request).invoke(index::put).map(LocationView::of);
    }

    @GET
    @Path("/{id}")
    public Uni<LocationView> get(@PathParam("id") String id) {
        return locations.find(id).map(LocationView::of);
    }

    @GET
    @Operation(summary = "All locations, optionally of one type (STORE, WAREHOUSE, ONLINE_DC)")
    public Uni<List<LocationView>> list(@QueryParam("type") String type) {
        LocationType parsed = null;
        if (type != null) {
            try {
                parsed = LocationType.valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Problems.badRequest(Violation.query("type", "one of STORE, WAREHOUSE, ONLINE_DC"));
            }
        }
        return locations.list(parsed).map(list -> list.stream().map(LocationView::of).toList());
    }
}
