package dev.omni.profile.identity;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.profile.Identifier;
import dev.omni.contracts.profile.ProfileCreated;
import dev.omni.platform.outbox.Outbox;
import dev.omni.profile.identity.ProfileIdentifier.Key;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Finds the profile an event's identifiers belong to, creating it, attaching new identifiers and merging the
 * profiles the event links, as {@link IdentityPlan} decides. Must run inside a transaction.
 * <p>
 * Concurrency: the event's identifiers are locked first (transaction-scoped advisory locks, in a fixed order), so
 * two events carrying the same new identifier create one profile; then the survivors they resolve to are locked
 * (row locks, in id order) and the resolution is read again, so a merge or unmerge running at the same time is
 * either fully seen or waited for.
 */
@ApplicationScoped
public class IdentityResolver {

    private static final String LOCK_IDENTIFIER = "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) l";
    private static final int ATTEMPTS = 5;

    private final IdentityPlan plan;
    private final MergeService merges;
    private final Outbox outbox;

    public IdentityResolver(IdentityRules rules, MergeService merges, Outbox outbox) {
        this.plan = new IdentityPlan(rules);
        this.merges = merges;
        this.outbox = outbox;
    }

    /**
     * @param identifiers normalised, one per type
     * @param context     what linked the identifiers, for merge reasons (e.g. "identify on app")
     */
    public Uni<Resolution> resolve(Map<IdentifierType, String> identifiers, Instant at, String context) {
        List<Key> keys = identifiers.entrySet().stream()
                .map(e -> new Key(e.getKey().wire(), e.getValue()))
                .toList();
        return lockIdentifiers(keys).chain(() -> resolveLocked(keys, at, context, 1));
    }

    private static Uni<Void> lockIdentifiers(List<Key> keys) {
        List<String> names = keys.stream().map(k -> k.type + ':' + k.value).sorted().toList();
        return Panache.getSession().chain(session -> Multi.createFrom().iterable(names)
                .onItem().transformToUniAndConcatenate(name -> session.createNativeQuery(LOCK_IDENTIFIER)
                        .setParameter(1, name).getSingleResult())
                .collect().last().replaceWithVoid());
    }

    private Uni<Resolution> resolveLocked(List<Key> keys, Instant at, String context, int attempt) {
        return owners(keys).chain(owners -> {
            List<UUID> roots = owners.values().stream().distinct().sorted().toList();
            return lockRoots(roots).chain(locked -> owners(keys).chain(again -> {
                boolean stable = again.equals(owners) && locked.values().stream()
                        .allMatch(p -> p.isSurvivor() && p.erasedAt == null);
                if (!stable) {
                    if (attempt >= ATTEMPTS) {
                        return Uni.createFrom().failure(new Profiles.StaleGroupException(roots.get(0)));
                    }
                    return resolveLocked(keys, at, context, attempt + 1);
                }
                if (roots.size() == 1 && owners.size() == keys.size()) {
                    // a returning customer with nothing new: no limits to check, nothing to merge
                    return apply(keys, new IdentityPlan.Decision(roots.get(0), List.of(), List.of(), List.of()), locked,
                            at, context);
                }
                return facts(owners, locked).chain(facts -> apply(keys, plan.decide(keys, facts), locked, at, context));
            }));
        });
    }

    /** Each known identifier's survivor. */
    private static Uni<Map<Key, UUID>> owners(List<Key> keys) {
        List<String> types = keys.stream().map(k -> k.type).distinct().toList();
        List<String> values = keys.stream().map(k -> k.value).distinct().toList();
        return Panache.getSession().chain(session -> session.createSelectionQuery("""
                        select i.type, i.value, p.survivorId from ProfileIdentifier i, Profile p
                        where p.id = i.profileId and i.type in ?1 and i.value in ?2""", Object[].class)
                .setParameter(1, types).setParameter(2, values).getResultList())
                .map(rows -> {
                    Map<Key, UUID> owners = new HashMap<>();
                    for (Object[] row : rows) {
                        Key key = new Key((String) row[0], (String) row[1]);
                        if (keys.contains(key)) {
                            owners.put(key, (UUID) row[2]);
                        }
                    }
                    return owners;
                });
    }

    private static Uni<Map<UUID, Profile>> lockRoots(List<UUID> roots) {
        if (roots.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession().chain(session -> Multi.createFrom().iterable(roots)
                .onItem().transformToUniAndConcatenate(id -> session.find(Profile.class, id, LockModeType.PESSIMISTIC_WRITE))
                .collect().asMap(p -> p.id));
    }

    private static Uni<IdentityPlan.Facts> facts(Map<Key, UUID> owners, Map<UUID, Profile> roots) {
        if (roots.isEmpty()) {
            return Uni.createFrom().item(new IdentityPlan.Facts(Map.of(), Map.of(), Map.of(), Set.of()));
        }
        Map<UUID, Instant> createdAt = roots.values().stream()
                .collect(Collectors.toMap(p -> p.id, p -> p.createdAt));
        return Panache.getSession().chain(session -> session.createSelectionQuery("""
                        select p.survivorId, i.type, count(i) from ProfileIdentifier i, Profile p
                        where p.id = i.profileId and p.survivorId in ?1 group by p.survivorId, i.type""", Object[].class)
                .setParameter(1, roots.keySet()).getResultList()
                .chain(counted -> session.createSelectionQuery(
                                "select p.id, p.survivorId from Profile p where p.survivorId in ?1", Object[].class)
                        .setParameter(1, roots.keySet()).getResultList()
                        .chain(members -> blockedPairs(members).map(blocked -> {
                            Map<UUID, Map<String, Long>> counts = new HashMap<>();
                            for (Object[] row : counted) {
                                counts.computeIfAbsent((UUID) row[0], id -> new HashMap<>())
                                        .put((String) row[1], (Long) row[2]);
                            }
                            return new IdentityPlan.Facts(owners, counts, createdAt, blocked);
                        }))));
    }

    /** Pairs of survivors with an unmerge between any of their members. */
    private static Uni<Set<Set<UUID>>> blockedPairs(List<Object[]> members) {
        Map<UUID, UUID> rootOf = new HashMap<>();
        members.forEach(row -> rootOf.put((UUID) row[0], (UUID) row[1]));
        if (new HashSet<>(rootOf.values()).size() < 2) {
            return Uni.createFrom().item(Set.of());
        }
        return MergeBlock.among(rootOf.keySet()).map(blocks -> blocks.stream()
                .map(b -> Set.of(rootOf.get(b.profileA), rootOf.get(b.profileB)))
                .filter(pair -> pair.size() == 2)
                .collect(Collectors.toSet()));
    }

    private Uni<Resolution> apply(List<Key> keys, IdentityPlan.Decision decision, Map<UUID, Profile> roots,
            Instant at, String context) {
        Uni<Profile> target = decision.createsProfile()
                ? create(decision.attach(), at)
                : Uni.createFrom().item(roots.get(decision.survivorId()));
        return target.chain(survivor -> {
            String reason = context + " linking " + keys.stream().map(Key::toString).collect(Collectors.joining(", "));
            return Multi.createFrom().iterable(decision.absorbed())
                    .onItem().transformToUniAndConcatenate(id -> merges.merge(survivor, roots.get(id), reason, at))
                    .collect().asList()
                    .chain(done -> attach(survivor, decision.createsProfile() ? List.of() : decision.attach(), at))
                    .chain(() -> refuse(survivor, decision.refusals(), at))
                    .map(ignored -> new Resolution(survivor, decision.createsProfile(),
                            decision.attach().stream().map(k -> new Identifier(k.type, k.value)).toList(),
                            decision.absorbed(),
                            decision.refusals().stream().map(r -> r.identifier() + ": " + r.reason()).toList()));
        });
    }

    private Uni<Profile> create(List<Key> keys, Instant at) {
        Profile profile = Profile.create(at);
        List<Identifier> ids = keys.stream().map(k -> new Identifier(k.type, k.value)).toList();
        return profile.<Profile>persist()
                .call(p -> ProfileIdentifier.persist(rows(p, keys, at)))
                .call(p -> outbox.publish(CloudEvent.of(EventType.PROFILE_CREATED, MergeService.SOURCE,
                        p.id.toString(), new ProfileCreated(p.id.toString(), ids, at))));
    }

    private static Uni<Void> attach(Profile profile, List<Key> keys, Instant at) {
        return keys.isEmpty() ? Uni.createFrom().voidItem() : ProfileIdentifier.persist(rows(profile, keys, at));
    }

    private static List<ProfileIdentifier> rows(Profile profile, Collection<Key> keys, Instant at) {
        return keys.stream().map(k -> ProfileIdentifier.of(k, profile.id, at)).toList();
    }

    private static Uni<Void> refuse(Profile profile, List<IdentityPlan.Refusal> refusals, Instant at) {
        if (refusals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<IdentityRefusal> rows = new ArrayList<>(new LinkedHashSet<>(refusals)).stream()
                .map(r -> IdentityRefusal.of(profile.id, r, at)).toList();
        return IdentityRefusal.persist(rows);
    }
}
