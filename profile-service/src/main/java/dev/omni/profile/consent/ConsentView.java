package dev.omni.profile.consent;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A profile's consents: the current decision per channel and purpose, and every decision. */
public record ConsentView(UUID profileId, List<Decision> current, List<Decision> history) {

    public record Decision(UUID id, String channel, String purpose, String status, String sourceChannel, String proof,
            Instant changedAt, Instant recordedAt) {
        static Decision of(ConsentChange c) {
            return new Decision(c.id, c.channel, c.purpose, c.status, c.sourceChannel, c.proof, c.changedAt,
                    c.recordedAt);
        }
    }

    static ConsentView of(UUID profileId, List<ConsentChange> history) {
        return new ConsentView(profileId, ConsentChange.current(history).stream().map(Decision::of).toList(),
                history.stream().map(Decision::of).toList());
    }
}
