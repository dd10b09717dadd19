package dev.omni.contracts.profile;

import java.time.Instant;

/** Every service drops or anonymises what it holds for this profile. */
public record ProfileErased(String profileId, Instant erasedAt) {
}
