package dev.omni.profile.identity;

import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import dev.omni.profile.timeline.TimelineEntry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.UUID;

@Path("/api/profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {

    static final int TIMELINE_SIZE = 50;

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<ProfileView> get(@PathParam("id") UUID id) {
        return view(id);
    }

    /** {@code GET /api/profiles?identifierType=email&identifier=anna@example.com}: the profile an identifier resolves to. */
    @GET
    @WithSession
    public Uni<ProfileView> find(@QueryParam("identifierType") String type, @QueryParam("identifier") String value) {
        IdentifierType identifierType = IdentifierType.fromWire(type == null ? "" : type)
                .orElseThrow(() -> Problems.badRequest(Violation.query("identifierType", "unknown identifier type")));
        String normalised;
        try {
            normalised = identifierType.normalise(value);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(Violation.query("identifier", e.getMessage()));
        }
        return ProfileIdentifier.<ProfileIdentifier>findById(new ProfileIdentifier.Key(identifierType.wire(), normalised))
                .onItem().ifNull().failWith(() -> Problems.notFound("no profile has " + type + " " + normalised))
                .chain(identifier -> view(identifier.profileId));
    }

    private static Uni<ProfileView> view(UUID id) {
        return Profile.<Profile>findById(id)
                .onItem().ifNull().failWith(() -> Problems.notFound("no profile " + id))
                .chain(profile -> ProfileIdentifier.ofProfile(id)
                        .chain(ids -> TimelineEntry.latest(id, TIMELINE_SIZE)
                                .map(timeline -> ProfileView.of(profile, ids, timeline))));
    }
}
