package dev.omni.contracts.profile;

import java.time.Instant;

/**
 * @param channel email, sms, push, rcs, whatsapp (or advertising)
 * @param purpose marketing or transactional
 * @param status  granted, denied or revoked
 */
public record ConsentChanged(String profileId, String channel, String purpose, String status, String sourceChannel,
        Instant changedAt) {
}
