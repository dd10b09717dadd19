package dev.omni.contracts.profile;

import java.time.Instant;
import java.util.List;

public record ProfileCreated(String profileId, List<Identifier> identifiers, Instant createdAt) {
}
