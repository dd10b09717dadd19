package dev.omni.messaging.template;

import dev.omni.messaging.Channels;
import dev.omni.messaging.contact.Contact;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api/templates")
@Produces(MediaType.APPLICATION_JSON)
public class TemplateResource {

    private final TemplateService templates;

    public TemplateResource(TemplateService templates) {
        this.templates = templates;
    }

    /** What a preview renders with: a profile's traits and contact points, and sample values. */
    public record PreviewRequest(String profileId, String locale, Map<String, Object> data, Map<String, Object> event,
            Map<String, Object> journey) {
    }

    public record Preview(String templateId, String channel, String locale, String subject, String text, String html) {
    }

    @GET
    @WithSession
    public Uni<List<TemplateView>> list() {
        return templates.list();
    }

    /** Saves a variant; a template that does not parse, or reads an unknown variable, is a 400 with its position. */
    @PUT
    @Path("/{id}/{channel}/{locale}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<TemplateView> save(@PathParam("id") String id, @PathParam("channel") String channel,
            @PathParam("locale") String locale, TemplateInput input) {
        return templates.save(id, channel, locale, input);
    }

    /** Renders the variant a profile would get ({@code locale} picks another), without sending or tracking. */
    @POST
    @Path("/{id}/{channel}/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithSession
    public Uni<Preview> preview(@PathParam("id") String id, @PathParam("channel") String channelName,
            PreviewRequest request) {
        var channel = Channels.parse(channelName).orElseThrow(() -> Problems.badRequest(
                new Violation("channel", "path", "unknown channel (email, sms, push or chat)")));
        PreviewRequest given = request == null ? new PreviewRequest(null, null, null, null, null) : request;
        UUID profileId;
        try {
            profileId = given.profileId() == null ? null : UUID.fromString(given.profileId());
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(Violation.body("profileId", "not a profile id"));
        }
        Uni<Contact> contact = profileId == null ? Uni.createFrom().nullItem() : Contact.findById(profileId);
        return contact.chain(found -> {
            if (profileId != null && found == null) {
                throw Problems.notFound("messaging knows no profile " + profileId);
            }
            String locale = given.locale() != null ? given.locale() : found == null ? null : found.locale;
            return templates.resolve(id, channel, locale).map(template -> {
                if (template == null) {
                    throw Problems.notFound("no template " + id + " for " + channel.wire());
                }
                Map<String, Object> values = new HashMap<>();
                values.put("profile", found == null ? Map.of() : found.templateView());
                values.put("data", given.data() == null ? Map.of() : given.data());
                values.put("event", given.event() == null ? Map.of() : given.event());
                values.put("journey", given.journey() == null ? Map.of() : given.journey());
                values.put("message", Map.of("id", "preview"));
                try {
                    Rendered rendered = template.render(values);
                    return new Preview(id, channel.wire(), template.variant().locale, rendered.subject(),
                            rendered.text(), rendered.html());
                } catch (TemplateRenderException e) {
                    throw Problems.badRequest("the template needs a value the preview did not give: " + e.getMessage(),
                            List.of(Violation.body("data", e.getMessage())));
                }
            });
        });
    }
}
