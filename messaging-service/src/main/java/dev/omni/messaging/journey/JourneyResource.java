package dev.omni.messaging.journey;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;
import java.util.UUID;

@Path("/api/journeys")
@Produces(MediaType.APPLICATION_JSON)
public class JourneyResource {

    private final JourneyService journeys;
    private final JourneyStatistics statistics;

    public JourneyResource(JourneyService journeys, JourneyStatistics statistics) {
        this.journeys = journeys;
        this.statistics = statistics;
    }

    @GET
    @WithSession
    public Uni<List<JourneyView>> list() {
        return Journey.<Journey>list("order by id").map(all -> all.stream().map(JourneyView::of).toList());
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<JourneyView> get(@PathParam("id") String id) {
        return journeys.find(id).map(JourneyView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(JourneyDefinition definition) {
        return journeys.create(definition)
                .map(view -> Response.created(URI.create("/api/journeys/" + view.id())).entity(view).build());
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<JourneyView> replace(@PathParam("id") String id, JourneyDefinition definition,
            @QueryParam("active") Boolean active) {
        return journeys.replace(id, definition, active);
    }

    @POST
    @Path("/{id}/activate")
    public Uni<JourneyView> activate(@PathParam("id") String id) {
        return journeys.setActive(id, true);
    }

    @POST
    @Path("/{id}/deactivate")
    public Uni<JourneyView> deactivate(@PathParam("id") String id) {
        return journeys.setActive(id, false);
    }

    @GET
    @Path("/{id}/runs")
    @WithSession
    public Uni<List<RunView>> runs(@PathParam("id") String id, @QueryParam("profileId") UUID profileId) {
        return journeys.runs(id, profileId);
    }

    @GET
    @Path("/{id}/stats")
    @WithSession
    public Uni<JourneyStats> stats(@PathParam("id") String id) {
        return statistics.of(id);
    }
}
