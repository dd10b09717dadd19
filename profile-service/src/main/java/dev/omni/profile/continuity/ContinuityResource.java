package dev.omni.profile.continuity;

import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import dev.omni.profile.http.Params;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.UUID;

/** Favourites, cart and recently viewed: web writes, the app reads, the store sees both. */
@Path("/api/profiles/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class ContinuityResource {

    static final String SKU = "[A-Za-z0-9][A-Za-z0-9._:-]{0,99}";
    static final String CHANNEL = "web|app|store|pos|call_centre|email|sms|push|chat|social|ad";
    static final String CHANNEL_MESSAGE = "a channel: web, app, store, pos, call_centre, email, sms, push, chat, social, ad";

    /** Which channel wrote the item. */
    public record Written(@NotNull @Pattern(regexp = CHANNEL, message = CHANNEL_MESSAGE) String channel) {
    }

    public record CartLine(@NotNull @Min(1) @Max(999) Integer quantity,
            @NotNull @Pattern(regexp = CHANNEL, message = CHANNEL_MESSAGE) String channel) {
    }

    public record Viewed(@NotNull @Pattern(regexp = SKU, message = "letters, digits and . _ : - (at most 100)") String sku,
            @NotNull @Pattern(regexp = CHANNEL, message = CHANNEL_MESSAGE) String channel) {
    }

    /** The cart alone, as the storefront's cart page (and the gateway's {@code /api/me/cart}) reads it. */
    public record Cart(UUID profileId, List<ContinuityView.Item> lines) {
    }

    /** The favourites alone. */
    public record Favourites(UUID profileId, List<ContinuityView.Item> items) {
    }

    private final ContinuityService continuity;

    public ContinuityResource(ContinuityService continuity) {
        this.continuity = continuity;
    }

    @GET
    @Path("/continuity")
    @WithSession
    public Uni<ContinuityView> get(@PathParam("id") String id) {
        return continuity.view(Params.uuid("id", id));
    }

    @GET
    @Path("/cart")
    @WithSession
    public Uni<Cart> cart(@PathParam("id") String id) {
        return continuity.view(profile(id)).map(view -> new Cart(view.profileId(), view.cart()));
    }

    @GET
    @Path("/favourites")
    @WithSession
    public Uni<Favourites> favourites(@PathParam("id") String id) {
        return continuity.view(profile(id)).map(view -> new Favourites(view.profileId(), view.favourites()));
    }

    @PUT
    @Path("/favourites/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ContinuityView> favourite(@PathParam("id") String id, @PathParam("sku") String sku,
            @NotNull @Valid Written body) {
        return continuity.put(profile(id), ContinuityService.FAVOURITES, sku(sku), 1, body.channel());
    }

    @DELETE
    @Path("/favourites/{sku}")
    public Uni<ContinuityView> unfavourite(@PathParam("id") String id, @PathParam("sku") String sku) {
        return continuity.remove(profile(id), ContinuityService.FAVOURITES, sku(sku));
    }

    @PUT
    @Path("/cart/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ContinuityView> putInCart(@PathParam("id") String id, @PathParam("sku") String sku,
            @NotNull @Valid CartLine body) {
        return continuity.put(profile(id), ContinuityService.CART, sku(sku), body.quantity(), body.channel());
    }

    @DELETE
    @Path("/cart/{sku}")
    public Uni<ContinuityView> removeFromCart(@PathParam("id") String id, @PathParam("sku") String sku) {
        return continuity.remove(profile(id), ContinuityService.CART, sku(sku));
    }

    @POST
    @Path("/recently-viewed")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ContinuityView> viewed(@PathParam("id") String id, @NotNull @Valid Viewed body) {
        return continuity.put(profile(id), ContinuityService.RECENTLY_VIEWED, body.sku(), 1, body.channel());
    }

    private static UUID profile(String id) {
        return Params.uuid("id", id);
    }

    private static String sku(String sku) {
        if (sku == null || !sku.matches(SKU)) {
            throw Problems.badRequest(new Violation("sku", "path", "letters, digits and . _ : - (at most 100)"));
        }
        return sku;
    }
}
