package dev.omni.attribution.journey;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** One journey of one profile in one dimension, as {@link JourneyMaterializer} keeps it. */
@Entity
@Table(name = "journey_path")
public class JourneyPathRow extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "owner_id", nullable = false)
    public String ownerId;

    @Column(nullable = false)
    public String dimension;

    @Column(name = "end_at", nullable = false)
    public Instant endAt;

    @Column(name = "conversion_id")
    public UUID conversionId;

    public BigDecimal value;

    @Column(nullable = false, columnDefinition = "text")
    public String labels;

    @Column(nullable = false, columnDefinition = "text")
    public String ages;
}
