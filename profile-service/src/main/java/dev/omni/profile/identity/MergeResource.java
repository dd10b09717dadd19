package dev.omni.profile.identity;

import dev.omni.profile.http.Params;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.UUID;

/** A profile's merge history and the way back. */
@Path("/api/profiles/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class MergeResource {

    /** @param reason why an operator splits it, kept on the merge record */
    public record UnmergeRequest(@NotNull UUID mergeId, @Size(max = 1000) String reason) {
    }

    private final MergeService merges;
    private final MergeHistory history;

    public MergeResource(MergeService merges, MergeHistory history) {
        this.merges = merges;
        this.history = history;
    }

    /** Merges of the customer (what each side brought, undone or not) and identity refusals. */
    @GET
    @Path("/merges")
    @WithSession
    public Uni<MergeHistory.View> merges(@PathParam("id") String id) {
        return history.of(Params.uuid("id", id));
    }

    /**
     * Undoes a merge: the absorbed profile (and what was merged into it) stands alone again with what it owned, and
     * {@code omni.profile.unmerged} is published. 409 when already undone.
     */
    @POST
    @Path("/unmerge")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<MergeService.Unmerged> unmerge(@PathParam("id") String id, @NotNull @Valid UnmergeRequest body) {
        return merges.unmerge(Params.uuid("id", id), body.mergeId(),
                body.reason() == null ? "unmerged by an operator" : body.reason());
    }
}
