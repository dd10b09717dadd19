package dev.omni.profile.loyalty;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A profile's points: the balance and the newest ledger lines. */
public record LoyaltyView(UUID profileId, long balance, List<Line> ledger) {

    public record Line(UUID id, String kind, long points, long balanceAfter, String reference, String channel,
            String description, Instant createdAt) {
        static Line of(LoyaltyEntry e) {
            return new Line(e.id, e.kind, e.points, e.balanceAfter, e.reference, e.channel, e.description, e.createdAt);
        }
    }
}
