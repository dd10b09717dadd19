package dev.omni.messaging.contact;

import dev.omni.platform.problem.Problems;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What messaging knows of a profile: for operators and support, read-only (profile-service owns it). */
@Path("/api/contacts")
@Produces(MediaType.APPLICATION_JSON)
public class ContactResource {

    private final ContactService contacts;

    public ContactResource(ContactService contacts) {
        this.contacts = contacts;
    }

    public record ConsentView(String channel, String purpose, String status, Instant changedAt) {
    }

    public record ContactView(UUID profileId, String email, String phone, boolean pushToken, String locale,
            String timeZone, Map<String, Object> traits, boolean erased, List<ConsentView> consents) {
    }

    @GET
    @Path("/{profileId}")
    @WithSession
    public Uni<ContactView> get(@PathParam("profileId") UUID profileId) {
        return contacts.find(profileId)
                .onItem().ifNull().failWith(() -> Problems.notFound("messaging knows no profile " + profileId))
                .chain(contact -> contacts.consents(profileId).map(consents -> new ContactView(contact.profileId,
                        contact.email, contact.phone, contact.pushToken != null, contact.locale, contact.timeZone,
                        contact.traits, contact.erased(), consents.stream()
                        .map(c -> new ConsentView(c.channel, c.purpose, c.status, c.changedAt)).toList())));
    }
}
