package dev.omni.inventory.reservation;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

import java.time.Instant;
import java.util.UUID;

/** Stock held for a customer, e.g. reserve online and collect in store; its lines are {@link ReservationLine}s. */
@Entity
public class Reservation extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Null for a guest, and after the profile was erased. */
    @Column(name = "profile_id")
    public String profileId;

    /** The sales channel it was made on; it sets the lifetime. */
    @Column(nullable = false)
    public String channel;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ReservationStatus status;

    /** Click and collect: the store the customer chose. */
    @Column(name = "pickup_location_id")
    public String pickupLocationId;

    /** The customer accepts another store if a sale at this one leaves the reservation uncovered. */
    @Column(name = "allow_reallocation", nullable = false)
    public boolean allowReallocation;

    @Column(name = "reallocation_radius_km")
    public Double reallocationRadiusKm;

    @Column(name = "order_id")
    public String orderId;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** SHA-256 of the creating request: an Idempotency-Key reused for another request is refused. */
    @Column(name = "request_hash")
    public String requestHash;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
