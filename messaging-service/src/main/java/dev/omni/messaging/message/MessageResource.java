package dev.omni.messaging.message;

import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import java.util.UUID;

@Path("/api/messages")
@Produces(MediaType.APPLICATION_JSON)
public class MessageResource {

    private final OneOffSender sender;

    public MessageResource(OneOffSender sender) {
        this.sender = sender;
    }

    /** Sends one message through the guards and providers: 201 with its outcome, 200 for a repeated key. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> send(SendRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        return sender.send(request, idempotencyKey).map(outcome -> {
            MessageView view = MessageView.of(outcome.message());
            return outcome.repeated() ? Response.ok(view).build()
                    : Response.created(URI.create("/api/messages/" + view.id())).entity(view).build();
        });
    }

    /**
     * Sends many messages at once, each through the guards and providers exactly as {@link #send} would: 200 with
     * each message's outcome in request order ({@code repeated} for a key used before).
     */
    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<BatchSendResponse> sendAll(BatchSendRequest batch) {
        return sender.sendAll(batch).map(outcomes -> {
            List<BatchSendResponse.Item> items = new ArrayList<>(outcomes.size());
            for (int i = 0; i < outcomes.size(); i++) {
                MessageService.Outcome outcome = outcomes.get(i);
                items.add(new BatchSendResponse.Item(batch.messages().get(i).idempotencyKey(), outcome.repeated(),
                        MessageView.of(outcome.message())));
            }
            return new BatchSendResponse(items);
        });
    }

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<MessageView> get(@PathParam("id") UUID id) {
        return Message.<Message>findById(id)
                .onItem().ifNull().failWith(() -> Problems.notFound("no message " + id))
                .map(MessageView::of);
    }

    /** The latest messages of a profile, newest first. */
    @GET
    @WithSession
    public Uni<List<MessageView>> ofProfile(@QueryParam("profileId") UUID profileId) {
        if (profileId == null) {
            throw Problems.badRequest(Violation.query("profileId", "required"));
        }
        return Message.<Message>find("profileId = ?1 order by createdAt desc", profileId).page(0, 100).list()
                .map(all -> all.stream().map(MessageView::of).toList());
    }
}
