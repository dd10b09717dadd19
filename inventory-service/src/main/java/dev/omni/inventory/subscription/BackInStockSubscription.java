package dev.omni.inventory.subscription;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** "Notify me when it is back": a profile waits for a sku at one store, or online when {@code locationId} is null. */
@Entity
@Table(name = "back_in_stock_subscription")
public class BackInStockSubscription extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "profile_id", nullable = false)
    public String profileId;

    @Column(nullable = false)
    public String sku;

    @Column(name = "location_id")
    public String locationId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** When the back-in-stock event named this profile; a notified subscription is done. */
    @Column(name = "notified_at")
    public Instant notifiedAt;
}
