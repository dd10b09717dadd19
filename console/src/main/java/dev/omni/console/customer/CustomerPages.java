package dev.omni.console.customer;

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
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Customer 360: find a customer by any identifier; their profile, identity graph with merges and unmerge, consents
 * with history, segments, loyalty, reservations and one timeline across channels.
 */
@Path("/customers")
@RolesAllowed({Staff.MARKETER, Staff.OPERATOR, Staff.ADMIN})
@Produces(MediaType.TEXT_HTML)
public class CustomerPages {

    static final List<String> IDENTIFIER_TYPES =
            List.of("email", "phone", "loyaltyId", "userId", "posCard", "pushToken", "anonymousId");
    private static final Set<String> PANELS = Set.of("identities", "consents", "loyalty", "timeline", "reservations");

    @Inject
    Gateway gateway;

    @Inject
    @Location("customers/search.html")
    Template search;

    @Inject
    @Location("customers/profile.html")
    Template profile;

    @Inject
    @Location("customers/unmerge.html")
    Template unmergeConfirm;

    @Inject
    Template panels;

    /** The search form; with an identifier, the customer it finds (a 404 of the gateway is shown as "no customer"). */
    @GET
    public Response search(@QueryParam("identifierType") String type, @QueryParam("identifier") String identifier) {
        String chosen = type == null || type.isBlank() ? "email" : type;
        if (identifier == null || identifier.isBlank()) {
            return page(search.data("types", IDENTIFIER_TYPES).data("type", chosen).data("identifier", "")
                    .data("notFound", false).render());
        }
        if (!IDENTIFIER_TYPES.contains(chosen)) {
            throw new GatewayException(400, "Unknown identifier type", "identifierType is one of " + IDENTIFIER_TYPES,
                    List.of("identifierType: " + chosen));
        }
        try {
            JsonNode found = gateway.findProfile(chosen, identifier.trim());
            return Response.seeOther(URI.create("/customers/" + found.path("id").asText())).build();
        } catch (GatewayException e) {
            if (e.status() != 404) {
                throw e;
            }
            return Response.status(404).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(search.data("types", IDENTIFIER_TYPES).data("type", chosen)
                            .data("identifier", identifier).data("notFound", true).render())
                    .build();
        }
    }

    @GET
    @Path("/{id}")
    public String profile(@PathParam("id") String id, @QueryParam("unmerged") String unmerged) {
        Map<String, Object> view = Json.map(gateway.profile(id));
        return profile.data("p", view).data("unmerged", unmerged).render();
    }

    /** One part of the 360 page, loaded by htmx so a slow or failing service leaves the rest of the page usable. */
    @GET
    @Path("/{id}/panels/{panel}")
    public String panel(@PathParam("id") String id, @PathParam("panel") String panel) {
        if (!PANELS.contains(panel)) {
            throw new GatewayException(404, "No such part", "the 360 page has the parts " + PANELS,
                    List.of("panel: " + panel));
        }
        var template = panels.getFragment(panel).data("id", id);
        return switch (panel) {
            case "identities" -> template.data("m", Json.map(gateway.merges(id))).render();
            case "consents" -> template.data("c", Json.map(gateway.consents(id))).render();
            case "loyalty" -> template.data("l", Json.map(gateway.loyalty(id))).render();
            case "timeline" -> template.data("entries", Json.list(gateway.timeline(id, 100))).render();
            default -> template.data("reservations", Json.list(gateway.reservations(id))).render();
        };
    }

    /** The confirmation step of an unmerge: what the split gives back, and a reason. */
    @GET
    @Path("/{id}/merges/{mergeId}/unmerge")
    @RolesAllowed({Staff.OPERATOR, Staff.ADMIN})
    public String confirmUnmerge(@PathParam("id") String id, @PathParam("mergeId") String mergeId) {
        Object merge = null;
        for (Object m : Json.list(gateway.merges(id).path("merges"))) {
            if (m instanceof Map<?, ?> candidate && mergeId.equals(candidate.get("mergeId"))) {
                merge = candidate;
            }
        }
        if (merge == null) {
            throw new GatewayException(404, "No such merge", "this customer has no merge " + mergeId, List.of());
        }
        return unmergeConfirm.data("id", id).data("merge", merge).data("errors", List.of()).render();
    }

    @POST
    @Path("/{id}/merges/{mergeId}/unmerge")
    @RolesAllowed({Staff.OPERATOR, Staff.ADMIN})
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response unmerge(@PathParam("id") String id, @PathParam("mergeId") String mergeId,
            @FormParam("reason") String reason) {
        List<String> errors = new ArrayList<>();
        if (reason == null || reason.isBlank()) {
            errors.add("reason: say why the two profiles are different people");
        }
        if (!errors.isEmpty()) {
            return Response.status(400).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(unmergeConfirm.data("id", id).data("merge", Map.of("mergeId", mergeId))
                            .data("errors", errors).render())
                    .build();
        }
        gateway.unmerge(id, mergeId, reason.trim());
        return Response.seeOther(URI.create("/customers/" + id + "?unmerged=" + mergeId)).build();
    }

    private static Response page(String html) {
        return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }
}
