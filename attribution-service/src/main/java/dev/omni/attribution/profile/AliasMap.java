package dev.omni.attribution.profile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Merge edges (absorbed → survivor) followed to the profile that owns an id now. */
public final class AliasMap {

    /** Longer chains than this are treated as broken (a cycle could only come from inconsistent events). */
    private static final int MAX_HOPS = 64;

    private final Map<String, String> survivorOf;
    private final Map<String, List<String>> absorbedBy = new HashMap<>();

    public AliasMap(Map<String, String> survivorOf) {
        this.survivorOf = Map.copyOf(survivorOf);
        survivorOf.forEach((absorbed, survivor) ->
                absorbedBy.computeIfAbsent(survivor, s -> new ArrayList<>()).add(absorbed));
    }

    public static AliasMap empty() {
        return new AliasMap(Map.of());
    }

    /** The surviving profile {@code profileId} was merged into, or {@code profileId} itself. */
    public String resolve(String profileId) {
        String current = profileId;
        Set<String> seen = new HashSet<>();
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            String next = survivorOf.get(current);
            if (next == null || !seen.add(current)) {
                return current;
            }
            current = next;
        }
        return current;
    }

    /** {@code profileId} and every id merged into it, directly or through other merges. */
    public Set<String> group(String profileId) {
        Set<String> group = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        pending.add(profileId);
        while (!pending.isEmpty()) {
            String id = pending.poll();
            if (group.add(id)) {
                pending.addAll(absorbedBy.getOrDefault(id, List.of()));
            }
        }
        return group;
    }
}
