package dev.omni.contracts.profile;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Traits or identifiers of a profile changed; carries the whole current set so consumers can replace theirs. */
public record ProfileIdentified(String profileId, List<Identifier> identifiers, Map<String, Object> traits,
        Instant identifiedAt) {
}
