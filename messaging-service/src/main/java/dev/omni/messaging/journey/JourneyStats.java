package dev.omni.messaging.journey;

import java.util.List;
import java.util.Map;

/**
 * How a journey is doing: its runs by outcome, and per step (in definition order) how many runs reached it and, for
 * sends, what became of the messages.
 *
 * @param exited runs that left before the end: an exit event, erasure or a merge
 */
public record JourneyStats(String journeyId, boolean active, long entered, long completed, long exited,
        List<Step> steps) {

    /**
     * @param channel    the channel of a send step, else null
     * @param suppressed messages a guard stopped, by the reason it recorded; messages held now for quiet hours count
     *                   as {@code quiet_hours} until they go
     */
    public record Step(String step, String type, String channel, long entered, long sent, long delivered,
            long opened, long clicked, Map<String, Long> suppressed) {
    }
}
