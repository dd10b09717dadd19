package dev.omni.contracts.stock;

/** What moved stock at one location; {@code COUNT} sets on-hand absolutely, the others add or remove. */
public enum MovementKind {
    SALE, RETURN, RECEIPT, TRANSFER_OUT, TRANSFER_IN, ADJUSTMENT, COUNT
}
