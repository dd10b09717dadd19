package dev.omni.messaging.tracking;

import io.quarkiverse.resteasy.problem.HttpProblem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Base64;
import java.util.UUID;

/** The open pixel and the click redirect put into messages; a link whose signature does not match is refused. */
@Path("/t")
public class TrackingResource {

    private static final byte[] PIXEL = Base64.getDecoder()
            .decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final TrackingLinks links;
    private final TrackingService tracking;

    public TrackingResource(TrackingLinks links, TrackingService tracking) {
        this.links = links;
        this.tracking = tracking;
    }

    @GET
    @Path("/o/{messageId}")
    public Uni<Response> open(@PathParam("messageId") String messageId, @QueryParam("s") String signature) {
        UUID id = parse(messageId);
        if (!links.validOpen(id, signature)) {
            throw forbidden();
        }
        return tracking.opened(id).replaceWith(Response.ok(PIXEL, "image/gif")
                .header("Cache-Control", "no-store, max-age=0").build());
    }

    @GET
    @Path("/c/{messageId}")
    public Uni<Response> click(@PathParam("messageId") String messageId, @QueryParam("u") String url,
            @QueryParam("s") String signature) {
        UUID id = parse(messageId);
        if (url == null || !links.validClick(id, url, signature)) {
            throw forbidden();
        }
        return tracking.clicked(id, url).replaceWith(Response.status(Response.Status.FOUND)
                .location(URI.create(url)).header("Cache-Control", "no-store").build());
    }

    private static UUID parse(String messageId) {
        try {
            return UUID.fromString(messageId);
        } catch (IllegalArgumentException e) {
            throw forbidden();
        }
    }

    private static HttpProblem forbidden() {
        return HttpProblem.builder().withStatus(Response.Status.FORBIDDEN).withTitle("Forbidden")
                .withDetail("this tracking link is not one we signed").build();
    }
}
