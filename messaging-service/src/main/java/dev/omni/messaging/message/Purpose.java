package dev.omni.messaging.message;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a message is sent. Transactional (critical: order confirmation, pickup ready) bypasses quiet hours and
 * frequency caps but never consent for its purpose.
 */
public enum Purpose {
    TRANSACTIONAL, MARKETING;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Purpose> parse(String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        for (Purpose purpose : values()) {
            if (purpose.wire().equalsIgnoreCase(wire.trim())) {
                return Optional.of(purpose);
            }
        }
        return Optional.empty();
    }
}
