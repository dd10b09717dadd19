package dev.omni.console.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.console.gateway.Gateway;
import dev.omni.console.gateway.GatewayException;
import dev.omni.console.web.Json;
import dev.omni.console.web.Staff;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Segments: the list with member counts, a form that builds conditions (traits, location, interaction counts in a
 * window, did-not-happen), a preview of the member count before saving, and save. The service judges the definition;
 * its refusal is shown in words next to the form, which keeps what was typed.
 */
@Path("/segments")
@RolesAllowed({Staff.MARKETER, Staff.ADMIN})
@Produces(MediaType.TEXT_HTML)
public class SegmentPages {

    @Inject
    Gateway gateway;

    @Inject
    @Location("segments/segments.html")
    Template page;

    @GET
    public String list(@QueryParam("saved") String saved) {
        return render(SegmentForm.blank(), saved, null).render();
    }

    /** htmx: how many customers the definition has now, and a sample; nothing is saved. */
    @POST
    @Path("/preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public String preview(@BeanParam SegmentFormFields fields) {
        SegmentForm form = fields.form();
        JsonNode preview = gateway.previewSegment(form.definition());
        long members = preview.path("count").asLong();
        return page.getFragment("preview").data("count", members).data("plural", members != 1)
                .data("sample", Json.list(preview.path("sample"))).render();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@BeanParam SegmentFormFields fields, @FormParam("requestId") String requestId) {
        SegmentForm form = fields.form();
        try {
            // one key per filled-in form: a double submit creates the segment once
            String key = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId;
            JsonNode saved = gateway.createSegment(key, form.definition());
            return Response.seeOther(URI.create("/segments?saved="
                    + URLEncoder.encode(saved.path("name").asText(form.name()), StandardCharsets.UTF_8))).build();
        } catch (GatewayException e) {
            if (e.status() >= 500) {
                throw e;
            }
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(render(form, null, e).render()).build();
        }
    }

    private TemplateInstance render(SegmentForm form, String saved, GatewayException refused) {
        List<Object> segments;
        GatewayException listFailed = null;
        try {
            segments = Json.list(gateway.segments());
        } catch (GatewayException e) {
            segments = List.of();
            listFailed = e;
        }
        return page.data("segments", segments).data("listFailed", listFailed).data("form", form)
                .data("saved", saved).data("refused", refused).data("requestId", UUID.randomUUID().toString())
                .data("traitOps", SegmentForm.TRAIT_OPS).data("countOps", SegmentForm.COUNT_OPS);
    }
}
