package dev.omni.inventory.reservation;

public enum ReservationStatus {
    /** Units are {@code reserved} until {@code expiresAt}. */
    ACTIVE,
    /** The order is placed: units are {@code committed}, no expiry. */
    COMMITTED,
    /** Handed over: the units left {@code onHand}. */
    FULFILLED,
    /** Given back by the customer or the shop. */
    RELEASED,
    /** Lapsed: the expiry job gave the units back. */
    EXPIRED;

    /** Whether the reservation still holds stock. */
    public boolean holds() {
        return this == ACTIVE || this == COMMITTED;
    }
}
