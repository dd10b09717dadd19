package dev.omni.inventory.movement;

import dev.omni.contracts.stock.MovementKind;
import dev.omni.inventory.stock.StockPicture;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A movement as recorded, with the picture of its sku@location right after it: a repeat gets the same answer. */
@Entity
@Table(name = "stock_movement")
public class StockMovement extends PanacheEntityBase {

    public enum Status {
        APPLIED, REJECTED
    }

    @Id
    @Column(name = "movement_id")
    public String movementId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public MovementKind kind;

    @Column(nullable = false)
    public String sku;

    @Column(name = "location_id", nullable = false)
    public String locationId;

    @Column(nullable = false)
    public int quantity;

    @Column(name = "expected_on_hand")
    public Integer expectedOnHand;

    @Column(name = "transfer_id")
    public String transferId;

    public String source;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    /** Why a movement was rejected (its compare-and-set failed). */
    public String reason;

    @Column(name = "on_hand", nullable = false)
    public int onHand;

    @Column(nullable = false)
    public int reserved;

    @Column(nullable = false)
    public int committed;

    @Column(name = "safety_stock", nullable = false)
    public int safetyStock;

    @Column(nullable = false)
    public int damaged;

    @Column(nullable = false)
    public int available;

    static StockMovement of(MovementRequest request, Status status, String reason, StockPicture after, Instant now) {
        StockMovement movement = new StockMovement();
        movement.movementId = request.movementId();
        movement.kind = request.kind();
        movement.sku = request.sku();
        movement.locationId = request.locationId();
        movement.quantity = request.quantity();
        movement.expectedOnHand = request.expectedOnHand();
        movement.transferId = request.transferId();
        movement.source = request.source();
        movement.occurredAt = request.occurredAt() != null ? request.occurredAt() : now;
        movement.recordedAt = now;
        movement.status = status;
        movement.reason = reason;
        movement.onHand = after.onHand();
        movement.reserved = after.reserved();
        movement.committed = after.committed();
        movement.safetyStock = after.safetyStock();
        movement.damaged = after.damaged();
        movement.available = after.available();
        return movement;
    }

    StockPicture picture() {
        return new StockPicture(sku, locationId, onHand, reserved, committed, safetyStock, damaged, available);
    }

    /** Whether {@code request} describes this movement (a redelivery) rather than another one reusing its id. */
    boolean sameAs(MovementRequest request) {
        return kind == request.kind() && sku.equals(request.sku()) && locationId.equals(request.locationId())
                && quantity == request.quantity();
    }
}
