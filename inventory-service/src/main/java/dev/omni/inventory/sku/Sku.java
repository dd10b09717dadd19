package dev.omni.inventory.sku;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A sellable variant of a product: one size and colour of the Omni Runner. */
@Entity
public class Sku extends PanacheEntityBase {

    @Id
    public String sku;

    @Column(name = "product_id", nullable = false)
    public String productId;

    @Column(nullable = false)
    public String name;

    /** Variant attributes such as {@code size} and {@code colour}. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> attributes;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Which of {@code skus} exist; a projection, so a write transaction has no SKUs in its session to flush. */
    public static Uni<Set<String>> existing(Collection<String> skus) {
        if (skus.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select k.sku from Sku k where k.sku in :skus", String.class)
                        .setParameter("skus", skus).getResultList())
                .map(Set::copyOf);
    }

    public static Uni<List<Sku>> ofProduct(String productId) {
        return list("productId = ?1 order by sku", productId);
    }
}
