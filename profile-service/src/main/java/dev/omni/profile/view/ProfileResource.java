package dev.omni.profile.view;

import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import dev.omni.profile.erasure.ErasureService;
import dev.omni.profile.http.Params;
import dev.omni.profile.identity.IdentifierType;
import dev.omni.profile.identity.IdentityRules;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/api/profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {

    private final ProfileViews views;
    private final IdentityRules rules;
    private final ErasureService erasure;

    public ProfileResource(ProfileViews views, IdentityRules rules, ErasureService erasure) {
        this.views = views;
        this.rules = rules;
        this.erasure = erasure;
    }

    /** The 360 view; the id of a merged profile gives its survivor's. 410 once erased. */
    @GET
    @Path("/{id}")
    @WithSession
    public Uni<ProfileView> get(@PathParam("id") String id) {
        return views.byId(Params.uuid("id", id));
    }

    /** {@code GET /api/profiles?identifierType=email&identifier=anna@example.com}: the profile an identifier resolves to. */
    @GET
    @WithSession
    public Uni<ProfileView> find(@QueryParam("identifierType") String type, @QueryParam("identifier") String value) {
        IdentifierType identifierType = IdentifierType.fromWire(type == null ? "" : type)
                .orElseThrow(() -> Problems.badRequest(Violation.query("identifierType", "unknown identifier type")));
        String normalised;
        try {
            normalised = rules.normalise(identifierType, value);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(Violation.query("identifier", e.getMessage()));
        }
        return views.byIdentifier(identifierType.wire(), normalised);
    }

    /** Erases the customer: PII and identifiers removed, {@code omni.profile.erased} published. 204, also when repeated. */
    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> erase(@PathParam("id") String id) {
        return erasure.erase(Params.uuid("id", id));
    }
}
