package dev.omni.profile.timeline;

import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import dev.omni.profile.http.Params;
import dev.omni.profile.identity.Profiles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What happened to a customer on every channel, newest first; {@code kind=support} is the support timeline. */
@Path("/api/profiles/{id}/timeline")
@Produces(MediaType.APPLICATION_JSON)
public class TimelineResource {

    static final int MAX = 500;
    private static final Set<String> KINDS = Set.of("interaction", "message", "support");

    public record Entry(UUID id, UUID profileId, String channel, String kind, String name, Instant occurredAt,
            Map<String, Object> details) {
    }

    private final Profiles profiles;

    public TimelineResource(Profiles profiles) {
        this.profiles = profiles;
    }

    @GET
    @WithSession
    public Uni<List<Entry>> get(@PathParam("id") String id, @QueryParam("kind") String kind,
            @QueryParam("limit") Integer limit) {
        if (kind != null && !KINDS.contains(kind)) {
            throw Problems.badRequest(Violation.query("kind", "interaction, message or support"));
        }
        int size = Params.limit("limit", limit, 100, MAX);
        return profiles.survivorOf(Params.uuid("id", id))
                .chain(root -> TimelineEntry.latest(root, kind, size))
                .map(entries -> entries.stream().map(e -> new Entry(e.id, e.profileId, e.channel, e.kind, e.name,
                        e.occurredAt, e.details)).toList());
    }
}
