package dev.omni.inventory.sku;

import dev.omni.inventory.Responses;
import dev.omni.inventory.availability.AvailabilityIndex;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

@Path("/api/skus")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SkuResource {

    private final SkuService skus;
    private final AvailabilityIndex index;

    public SkuResource(SkuService skus, AvailabilityIndex index) {
        this.skus = skus;
        this.index = index;
    }

    @POST
    @Operation(summary = "Create a SKU of a product", description = "409 when the sku exists.")
    public Uni<RestResponse<SkuView>> create(@Valid @NotNull SkuRequest request) {
        return skus.create(request).invoke(index::put).map(sku -> Responses.created("/api/skus/" + sku.sku, SkuView.of(sku)));
    }

    @PUT
    @Path("/{sku}")
    @Operation(summary = "Replace a SKU's product, name and attributes")
    public Uni<SkuView> update(@PathParam("sku") String sku, @Valid @NotNull SkuRequest request) {
        return skus.update(sku, request).invoke(index::put).map(SkuView::of);
    }

    @GET
    @Path("/{sku}")
    public Uni<SkuView> get(@PathParam("sku") String sku) {
        return skus.find(sku).map(SkuView::of);
    }

    @GET
    @Operation(summary = "All SKUs, or those of one product")
    public Uni<List<SkuView>> list(@QueryParam("productId") String productId) {
        return skus.list(productId).map(list -> list.stream().map(SkuView::of).toList());
    }
}
