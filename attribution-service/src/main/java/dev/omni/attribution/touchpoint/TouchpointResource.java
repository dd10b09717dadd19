package dev.omni.attribution.touchpoint;

import dev.omni.attribution.journey.QueryParameters;
import dev.omni.attribution.profile.ProfileDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** What was recorded for a profile (and every profile merged into it), oldest first. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class TouchpointResource {

    private static final Instant BEGINNING = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant END = Instant.parse("9999-01-01T00:00:00Z");

    private final TouchpointStore store;
    private final ProfileDirectory directory;

    public TouchpointResource(TouchpointStore store, ProfileDirectory directory) {
        this.store = store;
        this.directory = directory;
    }

    @GET
    @Path("/touchpoints")
    @Operation(summary = "Touchpoints of a profile and of the profiles merged into it")
    public Uni<List<TouchpointView>> touchpoints(@QueryParam("profileId") String profileId) {
        return group(profileId).chain(ids -> store.touchpoints(ids, BEGINNING, END));
    }

    @GET
    @Path("/conversions")
    @Operation(summary = "Conversions of a profile and of the profiles merged into it")
    public Uni<List<ConversionView>> conversions(@QueryParam("profileId") String profileId) {
        return group(profileId).chain(ids -> store.conversions(ids, BEGINNING, END));
    }

    private Uni<Set<String>> group(String profileId) {
        QueryParameters parameters = QueryParameters.check();
        parameters.required("profileId", profileId);
        parameters.orFail();
        return directory.aliases().map(aliases -> aliases.group(aliases.resolve(profileId.trim())));
    }
}
