package dev.omni.messaging.message;

/**
 * Where a message is. QUEUED, HELD (quiet hours) and SENDING (claimed by a dispatcher) are waiting; the rest are
 * outcomes, DELIVERED < OPENED < CLICKED being progressively stronger proof it was seen.
 */
public enum MessageStatus {
    QUEUED, HELD, SENDING, SENT, DELIVERED, OPENED, CLICKED, FAILED, SUPPRESSED;

    public boolean pending() {
        return this == QUEUED || this == HELD || this == SENDING;
    }

    /** Whether the message went out (it counts toward caps and may be read). */
    public boolean sent() {
        return this == SENT || this == DELIVERED || this == OPENED || this == CLICKED;
    }
}
