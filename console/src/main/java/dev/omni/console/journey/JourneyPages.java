package dev.omni.console.journey;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.console.gateway.Gateway;
import dev.omni.console.gateway.GatewayException;
import dev.omni.console.web.Json;
import dev.omni.console.web.Staff;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Journeys: the list, a drawn view of each journey's steps with per-step counts (entered, sent, delivered, opened,
 * clicked, suppressed by reason), and pause/resume after a confirmation.
 */
@Path("/journeys")
@RolesAllowed({Staff.MARKETER, Staff.ADMIN})
@Produces(MediaType.TEXT_HTML)
public class JourneyPages {

    @Inject
    Gateway gateway;

    @Inject
    @Location("journeys/list.html")
    Template list;

    @Inject
    @Location("journeys/journey.html")
    Template journey;

    @Inject
    @Location("journeys/confirm.html")
    Template confirm;

    @GET
    public String list() {
        return list.data("journeys", Json.list(gateway.journeys())).render();
    }

    @GET
    @Path("/{id}")
    public String journey(@PathParam("id") String id, @QueryParam("changed") String changed) {
        JsonNode view = gateway.journey(id);
        // the counts are their own report: if it fails, the steps are still drawn, with the failure in words
        JsonNode stats = null;
        GatewayException statsFailed = null;
        try {
            stats = gateway.journeyStats(id);
        } catch (GatewayException e) {
            statsFailed = e;
        } catch (FaultToleranceException e) {
            statsFailed = new GatewayException(503, "Data not available right now",
                    "The journey's counts did not answer in time. Try again shortly.", List.of());
        }
        JourneyDrawing drawing = JourneyDrawing.of(view.path("definition"), stats);
        return journey.data("j", Json.map(view)).data("stats", stats == null ? null : Json.map(stats))
                .data("statsFailed", statsFailed).data("drawing", drawing).data("changed", changed).render();
    }

    /** The confirmation step of a pause or a resume. */
    @GET
    @Path("/{id}/{action:pause|resume}")
    public String confirm(@PathParam("id") String id, @PathParam("action") String action) {
        Map<String, Object> view = Json.map(gateway.journey(id));
        return confirm.data("j", view).data("action", action).render();
    }

    @POST
    @Path("/{id}/{action:pause|resume}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response change(@PathParam("id") String id, @PathParam("action") String action) {
        boolean active = "resume".equals(action);
        gateway.setJourneyActive(id, active);
        return Response.seeOther(URI.create("/journeys/" + id + "?changed=" + (active ? "resumed" : "paused")))
                .build();
    }
}
