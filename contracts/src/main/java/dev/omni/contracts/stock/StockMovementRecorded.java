package dev.omni.contracts.stock;

import java.time.Instant;

/**
 * A movement reported by a POS or WMS. {@code quantity} is positive; the kind says its direction ({@code ADJUSTMENT}
 * may be negative, {@code COUNT} is the counted on-hand).
 *
 * @param movementId     the partner's id, idempotency key
 * @param expectedOnHand optional compare-and-set guard: apply only if on-hand equals it
 * @param transferId     links the two legs of a transfer
 */
public record StockMovementRecorded(
        String movementId,
        MovementKind kind,
        String sku,
        String locationId,
        int quantity,
        Integer expectedOnHand,
        String transferId,
        String source,
        Instant occurredAt) {
}
