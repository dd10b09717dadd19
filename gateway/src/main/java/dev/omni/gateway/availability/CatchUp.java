package dev.omni.gateway.availability;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far the availability cache has read {@code omni.availability}, against where the topic ended when the gateway
 * started. The cache is complete once every partition's record before that end has been applied; from then on the
 * gateway stays caught up (later records only keep it current), so the answer never goes back to false.
 * <p>
 * The record just before a partition's end is never removed by compaction (it is the latest of its key), so "its
 * offset applied" is a sound test even though compaction leaves gaps in the offsets before it.
 */
final class CatchUp {

    private final Map<Integer, Long> applied = new ConcurrentHashMap<>();
    private volatile Map<Integer, Long> ends;
    private volatile Map<Integer, Long> beginnings = Map.of();
    private volatile boolean done;

    /** Where each partition ended at start-up ({@code endOffsets}) and where it begins ({@code beginningOffsets}). */
    void target(Map<Integer, Long> endOffsets, Map<Integer, Long> beginningOffsets) {
        Map<Integer, Long> wanted = new HashMap<>();
        endOffsets.forEach((partition, end) -> {
            if (end > beginningOffsets.getOrDefault(partition, 0L)) {
                wanted.put(partition, end);
            }
        });
        beginnings = Map.copyOf(beginningOffsets);
        ends = Map.copyOf(wanted);
    }

    boolean hasTarget() {
        return ends != null;
    }

    /** A record of {@code partition} at {@code offset} is in the cache. */
    void applied(int partition, long offset) {
        applied.merge(partition, offset, Math::max);
    }

    boolean caughtUp() {
        if (done) {
            return true;
        }
        Map<Integer, Long> wanted = ends;
        if (wanted == null) {
            return false;
        }
        for (Map.Entry<Integer, Long> end : wanted.entrySet()) {
            Long last = applied.get(end.getKey());
            if (last == null || last + 1 < end.getValue()) {
                return false;
            }
        }
        done = true;
        return true;
    }

    /** Records still to apply before the cache is complete (at least; gaps left by compaction count too). */
    long behind() {
        Map<Integer, Long> wanted = ends;
        if (wanted == null) {
            return -1;
        }
        long behind = 0;
        for (Map.Entry<Integer, Long> end : wanted.entrySet()) {
            long next = Math.max(applied.getOrDefault(end.getKey(), -1L) + 1,
                    beginnings.getOrDefault(end.getKey(), 0L));
            behind += Math.max(0, end.getValue() - next);
        }
        return behind;
    }
}
