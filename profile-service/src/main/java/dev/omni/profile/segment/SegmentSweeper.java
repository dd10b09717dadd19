package dev.omni.profile.segment;

import dev.omni.profile.identity.Profiles;
import dev.omni.profile.segment.SegmentDefinition.InteractionCondition;
import dev.omni.profile.tx.Transactions;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Evaluates what time changes without an event: a customer whose interaction leaves a window ("2 orders within 30
 * days" ends, "no order within 90 days" begins), and every existing customer when a definition is new or changed
 * (backfill). Only customers with an interaction that left a window since the last sweep are looked at. A replica
 * claims a segment before sweeping it, so replicas share the work.
 */
@ApplicationScoped
class SegmentSweeper {

    /** How long a claim holds if its replica dies mid-sweep. */
    private static final Duration CLAIM = Duration.ofMinutes(5);

    private final SegmentService segments;
    private final SegmentCatalog catalog;
    private final Profiles profiles;
    private final SegmentConfig config;

    SegmentSweeper(SegmentService segments, SegmentCatalog catalog, Profiles profiles, SegmentConfig config) {
        this.segments = segments;
        this.catalog = catalog;
        this.profiles = profiles;
        this.config = config;
    }

    @Scheduled(every = "${omni.segments.sweep-interval:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                        .createSelectionQuery("select s.id from Segment s order by s.id", UUID.class).getResultList()))
                .chain(ids -> Multi.createFrom().iterable(ids)
                        .onItem().transformToUniAndConcatenate(id -> sweep(id)
                                .onFailure().recoverWithItem(failure -> {
                                    Log.warnf("segment %s: sweep failed, retried next time: %s", id, failure.getMessage());
                                    return null;
                                }))
                        .collect().last().replaceWithVoid());
    }

    Uni<Void> sweep(UUID id) {
        Instant now = Instant.now();
        return claim(id, now).chain(segment -> {
            if (segment == null) {
                return Uni.createFrom().voidItem();
            }
            SegmentCatalog.Compiled compiled = catalog.compile(segment);
            return lapsed(compiled.definition(), segment.sweptUntil, now)
                    .chain(candidates -> evaluate(candidates, compiled, now))
                    .chain(() -> segment.backfillDone ? Uni.createFrom().voidItem()
                            : backfill(compiled, segment.backfillCursor, segment.updatedAt, now))
                    .chain(() -> release(id, segment.updatedAt, now));
        });
    }

    /** Claims the segment for this replica; null when another one holds it. */
    private Uni<Segment> claim(UUID id, Instant now) {
        return Panache.withTransaction(() -> Segment.update(
                        "claimedUntil = ?1 where id = ?2 and (claimedUntil is null or claimedUntil < ?3)",
                        now.plus(CLAIM), id, now)
                .chain(claimed -> claimed == 0 ? Uni.createFrom().<Segment>nullItem() : Segment.findById(id)));
    }

    /** Moves the sweep mark, unless the definition changed meanwhile (its own sweep starts over). */
    private static Uni<Void> release(UUID id, Instant version, Instant now) {
        return Panache.withTransaction(() -> Segment.update(
                        "sweptUntil = ?1, claimedUntil = null where id = ?2 and updatedAt = ?3", now, id, version)
                .chain(moved -> moved == 1 ? Uni.createFrom().item(1)
                        : Segment.update("claimedUntil = null where id = ?1", id)))
                .replaceWithVoid();
    }

    /** Survivors with an interaction that left one of the windows between the last sweep and now. */
    private static Uni<List<UUID>> lapsed(SegmentDefinition definition, Instant sweptUntil, Instant now) {
        List<InteractionCondition> windowed = definition.conditions().stream()
                .filter(c -> c instanceof InteractionCondition i && i.within() != null)
                .map(c -> (InteractionCondition) c).toList();
        return Panache.withSession(() -> Multi.createFrom().iterable(windowed)
                .onItem().transformToUniAndConcatenate(condition -> lapsed(condition, sweptUntil, now))
                .collect().in(TreeSet<UUID>::new, TreeSet::addAll)
                .map(ids -> (List<UUID>) new ArrayList<>(ids)));
    }

    private static Uni<List<UUID>> lapsed(InteractionCondition condition, Instant sweptUntil, Instant now) {
        Instant from = sweptUntil.minus(condition.within());
        Instant to = now.minus(condition.within());
        if (!from.isBefore(to)) {
            return Uni.createFrom().item(List.of());
        }
        String query = "select distinct p.survivorId from TimelineEntry t, Profile p where p.id = t.profileId "
                + "and p.erasedAt is null and t.name = :event and t.occurredAt >= :from and t.occurredAt < :to"
                + (condition.channel() != null ? " and t.channel = :channel" : "");
        return Panache.getSession().chain(session -> {
            var select = session.createSelectionQuery(query, UUID.class)
                    .setParameter("event", condition.event()).setParameter("from", from).setParameter("to", to);
            if (condition.channel() != null) {
                select.setParameter("channel", condition.channel());
            }
            return select.getResultList();
        });
    }

    /** Every survivor, a page per transaction, the cursor saved after each page. */
    private Uni<Void> backfill(SegmentCatalog.Compiled segment, UUID cursor, Instant version, Instant now) {
        int batch = config.sweepBatch();
        return Panache.withSession(() -> (cursor == null
                        ? Panache.getSession().chain(s -> s.createSelectionQuery("select p.id from Profile p "
                                + "where p.survivorId = p.id and p.erasedAt is null order by p.id", UUID.class)
                                .setMaxResults(batch).getResultList())
                        : Panache.getSession().chain(s -> s.createSelectionQuery("select p.id from Profile p "
                                + "where p.survivorId = p.id and p.erasedAt is null and p.id > ?1 order by p.id", UUID.class)
                                .setParameter(1, cursor).setMaxResults(batch).getResultList())))
                .chain(page -> evaluate(page, segment, now).chain(() -> {
                    boolean done = page.size() < batch;
                    UUID next = page.isEmpty() ? cursor : page.get(page.size() - 1);
                    return Panache.withTransaction(() -> Segment.update("backfillCursor = ?1, backfillDone = ?2, "
                                    + "claimedUntil = ?3 where id = ?4 and updatedAt = ?5", next, done,
                                    Instant.now().plus(CLAIM), segment.id(), version))
                            .chain(saved -> done || saved == 0 ? Uni.createFrom().voidItem()
                                    : backfill(segment, next, version, now));
                }));
    }

    /** Evaluates survivors in batches, each batch one transaction holding their locks (taken in id order). */
    private Uni<Void> evaluate(List<UUID> survivors, SegmentCatalog.Compiled segment, Instant now) {
        List<List<UUID>> batches = new ArrayList<>();
        for (int i = 0; i < survivors.size(); i += config.sweepBatch()) {
            batches.add(survivors.subList(i, Math.min(survivors.size(), i + config.sweepBatch())));
        }
        return Multi.createFrom().iterable(batches)
                .onItem().transformToUniAndConcatenate(batch -> Transactions.retrying(() -> Multi.createFrom()
                        .iterable(batch)
                        .onItem().transformToUniAndConcatenate(id -> profiles.lockSurvivor(id)
                                .chain(root -> segments.evaluate(root.id, List.of(segment), now))
                                .onFailure(HttpProblem.class).recoverWithNull())
                        .collect().last()))
                .collect().last().replaceWithVoid();
    }
}
