package dev.omni.gateway.partner;

import dev.omni.gateway.partner.Audiences.Audience;
import dev.omni.gateway.partner.ProductFeeds.Channel;
import dev.omni.gateway.partner.ProductFeeds.Feed;
import dev.omni.gateway.problem.Problems;
import dev.omni.gateway.problem.Violation;
import dev.omni.gateway.route.RequestIds;
import dev.omni.gateway.upstream.UpstreamClient;
import dev.omni.gateway.upstream.UpstreamException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.UUID;

/**
 * What ad networks and marketplaces take out: retargeting audiences of a segment and the product feed of their
 * channel. The route table checks the scopes ({@code audiences:read}, {@code feeds:read}) and the rate limit.
 */
@Path("/api/partners")
@Authenticated
public class PartnerResource {

    static final String TSV = "text/tab-separated-values";

    private final Audiences audiences;
    private final ProductFeeds feeds;
    private final PartnersConfig config;
    private final JsonWebToken token;

    public PartnerResource(Audiences audiences, ProductFeeds feeds, PartnersConfig config, JsonWebToken token) {
        this.audiences = audiences;
        this.feeds = feeds;
        this.config = config;
        this.token = token;
    }

    @GET
    @Path("/audiences/{segmentId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Retargeting audience: the members of a segment with advertising consent",
            description = "One page of members (after, limit). Each member is SHA-256 hashes of their e-mail "
                    + "addresses (trimmed, lower case) and phone numbers (E.164), with the ids of the products they "
                    + "viewed last and have in their cart (the product feed's item ids). Members without a granted "
                    + "advertising consent are left out and only counted.")
    @APIResponse(responseCode = "200", description = "one page of the audience; next is the after of the next page")
    @APIResponse(responseCode = "400", description = "problem+json naming segmentId, after or limit")
    @APIResponse(responseCode = "404", description = "no such segment")
    @APIResponse(responseCode = "502", description = "profile-service could not give every member of the page")
    public Uni<Audience> audience(@PathParam("segmentId") String segmentId,
            @Parameter(description = "the next of the previous page") @QueryParam("after") String after,
            @Parameter(description = "members per page, 1 to 500 (default 100)") @QueryParam("limit") String limit,
            @HeaderParam(RequestIds.HEADER) String requestId) {
        uuid(segmentId, new Violation("segmentId", "path", "must be a segment id (a UUID)"));
        if (after != null) {
            uuid(after, Violation.query("after", "must be the next of the previous page (a UUID)"));
        }
        int size = pageSize(limit);
        return audiences.page(segmentId, after, size, UpstreamClient.onBehalfOf(token.getRawToken(), requestId))
                .onFailure(UpstreamException.class).transform(e -> ((UpstreamException) e).toProblem());
    }

    @GET
    @Path("/product-feeds/{channel}")
    @Produces({ MediaType.APPLICATION_JSON, TSV })
    @Operation(summary = "Product feed of an ad channel (google, meta) with live online availability",
            description = "One item per sku in the field names of Google Merchant Center and the Meta catalogue "
                    + "(id, item_group_id, title, description, availability, condition, price, link, image_link, "
                    + "brand, size, color). format=tsv (or Accept: text/tab-separated-values) gives the upload file.")
    @APIResponse(responseCode = "200", description = "the feed", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Feed.class)),
            @Content(mediaType = TSV, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "404", description = "no feed for that channel")
    @APIResponse(responseCode = "502", description = "inventory-service could not give the availability")
    public Uni<Response> feed(@PathParam("channel") String channel,
            @Parameter(description = "json (default) or tsv") @QueryParam("format") String format,
            @HeaderParam("Accept") String accept, @HeaderParam(RequestIds.HEADER) String requestId) {
        Channel known = Channel.of(channel).orElseThrow(() -> Problems.notFound(
                "no product feed for " + channel + "; channels: " + String.join(", ", Channel.keys())));
        boolean tsv;
        if (format == null) {
            tsv = accept != null && accept.contains(TSV) && !accept.contains(MediaType.APPLICATION_JSON);
        } else if (format.equals("tsv") || format.equals("json")) {
            tsv = format.equals("tsv");
        } else {
            throw Problems.badRequest(Violation.query("format", "json or tsv"));
        }
        return feeds.feed(known, UpstreamClient.onBehalfOf(token.getRawToken(), requestId))
                .map(feed -> tsv
                        ? Response.ok(ProductFeeds.tsv(feed), TSV + ";charset=UTF-8").build()
                        : Response.ok(feed, MediaType.APPLICATION_JSON).build())
                .onFailure(UpstreamException.class).transform(e -> ((UpstreamException) e).toProblem());
    }

    private int pageSize(String limit) {
        if (limit == null) {
            return config.audiences().defaultPageSize();
        }
        try {
            int size = Integer.parseInt(limit.trim());
            if (size >= 1 && size <= config.audiences().maxPageSize()) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Problems.badRequest(Violation.query("limit", "must be a whole number from 1 to "
                + config.audiences().maxPageSize()));
    }

    private static void uuid(String value, Violation violation) {
        try {
            UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(violation);
        }
    }
}
