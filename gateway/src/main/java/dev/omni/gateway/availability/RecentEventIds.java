package dev.omni.gateway.availability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The last {@code capacity} event ids seen, oldest forgotten first. In memory, since the gateway has no database:
 * enough to drop redeliveries of recent events; an event redelivered after a restart is applied again, which the
 * cache tolerates because it keeps the newest state per key by time.
 */
final class RecentEventIds {

    private final Map<UUID, Boolean> seen;

    RecentEventIds(int capacity) {
        this.seen = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time an id is offered. */
    synchronized boolean firstTime(UUID id) {
        return seen.putIfAbsent(id, Boolean.TRUE) == null;
    }
}
