package dev.omni.inventory.sku;

import dev.omni.inventory.Failures;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;

@ApplicationScoped
public class SkuService {

    /** @throws io.quarkiverse.resteasy.problem.HttpProblem 409 when the sku exists */
    public Uni<Sku> create(SkuRequest request) {
        if (request.sku() == null) {
            throw Problems.badRequest(Violation.body("sku", "must not be null"));
        }
        Sku sku = new Sku();
        sku.sku = request.sku();
        sku.createdAt = Instant.now();
        apply(sku, request);
        return Panache.withTransaction(() -> Sku.<Sku>findById(sku.sku)
                        .chain(existing -> existing != null ? Uni.createFrom().failure(exists(sku.sku))
                                : sku.persistAndFlush().replaceWith(sku)))
                .onFailure(Failures::isUniqueViolation).transform(e -> exists(sku.sku));
    }

    @WithTransaction
    public Uni<Sku> update(String id, SkuRequest request) {
        if (request.sku() != null && !request.sku().equals(id)) {
            throw Problems.badRequest(Violation.body("sku", "must be the sku of the path, " + id));
        }
        return find(id).invoke(sku -> apply(sku, request));
    }

    @WithSession
    public Uni<Sku> find(String id) {
        return Sku.<Sku>findById(id).onItem().ifNull().failWith(() -> Problems.notFound("no sku " + id));
    }

    @WithSession
    public Uni<List<Sku>> list(String productId) {
        return productId == null ? Sku.list("order by sku") : Sku.ofProduct(productId);
    }

    private static void apply(Sku sku, SkuRequest request) {
        sku.productId = request.productId();
        sku.name = request.name();
        sku.attributes = request.attributes() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(request.attributes());
        sku.updatedAt = Instant.now();
    }

    private static RuntimeException exists(String id) {
        return Problems.conflict("sku " + id + " already exists");
    }
}
