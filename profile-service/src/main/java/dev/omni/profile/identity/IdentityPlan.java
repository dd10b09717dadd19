package dev.omni.profile.identity;

import dev.omni.profile.identity.ProfileIdentifier.Key;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What one event's identifiers do to the profiles they name, decided before anything is written (a pure function
 * of what the database holds, so the rules are tested without it):
 * <ol>
 * <li>Identifiers are taken strongest first ({@code omni.identity.priority}). The profile of the strongest known
 * one is the target; each other profile named by the event joins it unless the group would then hold more
 * identifiers of a type than its limit, or an operator split the two apart (unmerge).</li>
 * <li>Unknown identifiers are attached to the group within the same limits.</li>
 * <li>An unknown identifier that does not fit and is stronger than every known one means the event is about
 * someone else (a shared device: a second user logs in where the first one's anonymousId lives): a new profile
 * gets the unknown identifiers and the known profiles are left alone.</li>
 * <li>Of the profiles that join, the oldest survives and absorbs the others.</li>
 * </ol>
 * Every identifier or profile left out is reported with the reason.
 */
final class IdentityPlan {

    /** What the database says about the profiles an event names, each by its survivor (root) id. */
    record Facts(Map<Key, UUID> owners, Map<UUID, Map<String, Long>> counts, Map<UUID, Instant> createdAt,
            Set<Set<UUID>> blockedPairs) {
    }

    /** An identifier not attached, or a profile not merged ({@code otherProfileId}), and why. */
    record Refusal(Key identifier, UUID otherProfileId, String reason) {
    }

    /**
     * @param survivorId null when a new profile is to be created
     * @param absorbed   roots to merge into the survivor
     * @param attach     unknown identifiers for the survivor (or the new profile)
     */
    record Decision(UUID survivorId, List<UUID> absorbed, List<Key> attach, List<Refusal> refusals) {
        boolean createsProfile() {
            return survivorId == null;
        }
    }

    private final IdentityRules rules;

    IdentityPlan(IdentityRules rules) {
        this.rules = rules;
    }

    /** @param keys the event's identifiers, one per type */
    Decision decide(List<Key> keys, Facts facts) {
        List<Key> ordered = keys.stream().sorted(Comparator.comparingInt(k -> rank(k))).toList();
        Map<UUID, Key> linkedBy = new LinkedHashMap<>();
        List<Key> unknown = new ArrayList<>();
        for (Key key : ordered) {
            UUID owner = facts.owners().get(key);
            if (owner == null) {
                unknown.add(key);
            } else {
                linkedBy.putIfAbsent(owner, key);
            }
        }

        List<UUID> joined = new ArrayList<>();
        Map<String, Long> held = new HashMap<>();
        List<Refusal> refusals = new ArrayList<>();
        for (Map.Entry<UUID, Key> linked : linkedBy.entrySet()) {
            UUID root = linked.getKey();
            Map<String, Long> counts = facts.counts().getOrDefault(root, Map.of());
            if (joined.isEmpty()) {
                joined.add(root);
                counts.forEach((type, n) -> held.merge(type, n, Long::sum));
                continue;
            }
            String why = joined.stream().anyMatch(j -> facts.blockedPairs().contains(Set.of(j, root)))
                    ? "profiles " + root + " and " + joined.get(0) + " were split apart by an unmerge"
                    : overLimit(held, counts);
            if (why == null) {
                joined.add(root);
                counts.forEach((type, n) -> held.merge(type, n, Long::sum));
            } else {
                refusals.add(new Refusal(linked.getValue(), root, "not merged: " + why));
            }
        }

        List<Key> attach = new ArrayList<>();
        List<Key> misfits = new ArrayList<>();
        for (Key key : unknown) {
            long has = held.getOrDefault(key.type, 0L);
            if (has < rules.limit(type(key))) {
                attach.add(key);
                held.merge(key.type, 1L, Long::sum);
            } else {
                misfits.add(key);
            }
        }

        if (!misfits.isEmpty() && rank(misfits.get(0)) < rank(linkedBy.get(joined.get(0)))) {
            Key stranger = misfits.get(0);
            List<Refusal> leftAlone = linkedBy.entrySet().stream()
                    .map(e -> new Refusal(e.getValue(), e.getKey(), "left alone: the event's " + stranger
                            + " is new and profile " + e.getKey() + " already has " + limitText(stranger)
                            + ", so the event starts a new profile (shared device)"))
                    .toList();
            return new Decision(null, List.of(), unknown, leftAlone);
        }
        misfits.forEach(key -> refusals.add(new Refusal(key, null,
                "not attached: the profile already has " + limitText(key))));
        if (joined.isEmpty()) {
            return new Decision(null, List.of(), attach, refusals);
        }
        UUID survivor = joined.stream()
                .min(Comparator.comparing((UUID id) -> facts.createdAt().get(id)).thenComparing(id -> id))
                .orElseThrow();
        return new Decision(survivor, joined.stream().filter(id -> !id.equals(survivor)).toList(), attach, refusals);
    }

    /** Why adding {@code counts} to {@code held} breaks a limit, or null. */
    private String overLimit(Map<String, Long> held, Map<String, Long> counts) {
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            IdentifierType type = IdentifierType.fromWire(entry.getKey()).orElseThrow();
            long total = held.getOrDefault(entry.getKey(), 0L) + entry.getValue();
            if (total > rules.limit(type)) {
                return "together they would hold " + total + " " + type.wire() + " identifiers (limit "
                        + rules.limit(type) + ")";
            }
        }
        return null;
    }

    private String limitText(Key key) {
        int limit = rules.limit(type(key));
        return limit + " " + key.type + (limit == 1 ? "" : "s") + " (limit " + limit + ")";
    }

    private int rank(Key key) {
        return rules.rank(type(key));
    }

    private static IdentifierType type(Key key) {
        return IdentifierType.fromWire(key.type).orElseThrow();
    }
}
