package dev.omni.inventory.movement;

import dev.omni.contracts.stock.MovementKind;
import dev.omni.contracts.stock.StockMovementRecorded;
import dev.omni.inventory.stock.StockKey;

import java.time.Instant;

/** One movement, from HTTP or from {@code omni.stock-movements}; the fields of {@link StockMovementRecorded}. */
public record MovementRequest(String movementId, MovementKind kind, String sku, String locationId, int quantity,
        Integer expectedOnHand, String transferId, String source, Instant occurredAt) {

    public static MovementRequest of(StockMovementRecorded recorded) {
        return new MovementRequest(recorded.movementId(), recorded.kind(), recorded.sku(), recorded.locationId(),
                recorded.quantity(), recorded.expectedOnHand(), recorded.transferId(), recorded.source(),
                recorded.occurredAt());
    }

    public StockKey key() {
        return new StockKey(sku, locationId);
    }

    /** What the movement adds to on hand, given on hand now (a count sets it absolutely). */
    int onHandDelta(int onHandNow) {
        return switch (kind) {
            case RECEIPT, RETURN, TRANSFER_IN, ADJUSTMENT -> quantity;
            case SALE, TRANSFER_OUT -> -quantity;
            case COUNT -> quantity - onHandNow;
        };
    }
}
