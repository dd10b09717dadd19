package dev.omni.messaging.journey;

import java.time.Instant;

public record JourneyView(String id, String name, boolean active, boolean builtIn, JourneyDefinition definition,
        Instant createdAt, Instant updatedAt) {

    static JourneyView of(Journey journey) {
        return new JourneyView(journey.id, journey.name, journey.active, journey.builtIn, journey.parsed(),
                journey.createdAt, journey.updatedAt);
    }
}
