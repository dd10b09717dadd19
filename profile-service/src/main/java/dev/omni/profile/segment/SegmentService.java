package dev.omni.profile.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.profile.SegmentMembershipChanged;
import dev.omni.platform.outbox.Outbox;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import dev.omni.profile.idempotency.IdempotencyKeys;
import dev.omni.profile.identity.Profile;
import dev.omni.profile.identity.ProfileGroupListener;
import dev.omni.profile.identity.Profiles;
import dev.omni.profile.tx.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Segment definitions and memberships. A customer is evaluated when an event of theirs arrives, when their group
 * changes (merge, unmerge), and by {@link SegmentSweeper} when an interaction leaves a window or a definition is new.
 * Entering and leaving publish {@code omni.profile.segment-entered}/{@code -exited}; evaluation runs with the
 * survivor locked, so one customer's memberships change one transaction at a time.
 */
@ApplicationScoped
public class SegmentService implements ProfileGroupListener {

    private static final String SOURCE = "/profile-service";
    static final int PREVIEW_SAMPLE = 10;
    /** Customers read (with their merged profiles) per query of a preview. */
    private static final int PREVIEW_PAGE = 500;
    /** A definition deleted meanwhile (another instance's catalog may still list it) takes no members. */
    private static final String ENTER = "INSERT INTO segment_member (segment_id, profile_id, entered_at) "
            + "SELECT id, ?2, ?3 FROM segment WHERE id = ?1 ON CONFLICT DO NOTHING";
    private static final String EXIT = "DELETE FROM segment_member WHERE segment_id = ?1 AND profile_id = ?2";

    private final SegmentCatalog catalog;
    private final SegmentEvaluator evaluator;
    private final Outbox outbox;
    private final IdempotencyKeys idempotency;
    private final ObjectMapper mapper;

    public SegmentService(SegmentCatalog catalog, SegmentEvaluator evaluator, Outbox outbox,
            IdempotencyKeys idempotency, ObjectMapper mapper) {
        this.catalog = catalog;
        this.evaluator = evaluator;
        this.outbox = outbox;
        this.idempotency = idempotency;
        this.mapper = mapper;
    }

    // ---- evaluation

    /** Whether no segment is defined, as far as the catalog read less than its refresh interval ago knows. */
    public boolean noneDefined() {
        return catalog.knownEmpty();
    }

    /** Evaluates every segment for a survivor; the caller holds its lock and has flushed its writes. */
    public Uni<Void> evaluate(UUID survivorId, Instant now) {
        return catalog.all().chain(segments -> evaluate(survivorId, segments, now));
    }

    Uni<Void> evaluate(UUID survivorId, List<SegmentCatalog.Compiled> segments, Instant now) {
        if (segments.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Profile.group(survivorId).chain(group -> SegmentMember.<SegmentMember>list("profileId", survivorId)
                .chain(memberships -> {
                    Map<String, Object> traits = Profiles.traits(group, survivorId);
                    List<UUID> current = memberships.stream().map(m -> m.segmentId).toList();
                    return Multi.createFrom().iterable(segments)
                            .onItem().transformToUniAndConcatenate(segment -> evaluator
                                    .matches(segment.definition(), survivorId, traits, now)
                                    .chain(matches -> reconcile(segment, survivorId, matches,
                                            current.contains(segment.id()), now)))
                            .collect().last().replaceWithVoid();
                }));
    }

    private Uni<Void> reconcile(SegmentCatalog.Compiled segment, UUID profileId, boolean matches, boolean member,
            Instant now) {
        if (matches == member) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(session -> matches
                        ? session.createNativeQuery(ENTER).setParameter(1, segment.id()).setParameter(2, profileId)
                                .setParameter(3, now).executeUpdate()
                        : session.createNativeQuery(EXIT).setParameter(1, segment.id()).setParameter(2, profileId)
                                .executeUpdate())
                .chain(changed -> changed == 0 ? Uni.createFrom().voidItem()
                        : publish(matches ? EventType.SEGMENT_ENTERED : EventType.SEGMENT_EXITED, profileId,
                                segment.id(), segment.name(), now));
    }

    private Uni<Void> publish(EventType type, UUID profileId, UUID segmentId, String name, Instant at) {
        return outbox.publish(CloudEvent.of(type, SOURCE, profileId.toString(),
                new SegmentMembershipChanged(profileId.toString(), segmentId.toString(), name, at)));
    }

    /** The absorbed profile no longer stands for anyone: it leaves its segments; the survivor is evaluated next. */
    @Override
    public Uni<Void> merged(UUID survivorId, UUID absorbedId, Instant at) {
        return leaveAll(absorbedId, at);
    }

    @Override
    public Uni<Void> unmerged(UUID survivorId, UUID restoredId, Instant at) {
        return evaluate(survivorId, at).chain(() -> evaluate(restoredId, at));
    }

    /** Removes a profile from all its segments, publishing each exit. */
    public Uni<Void> leaveAll(UUID profileId, Instant at) {
        return SegmentMember.<SegmentMember>list("profileId", profileId).chain(memberships -> catalog.all()
                .chain(segments -> Multi.createFrom().iterable(memberships)
                        .onItem().transformToUniAndConcatenate(m -> {
                            String name = segments.stream().filter(s -> s.id().equals(m.segmentId))
                                    .map(SegmentCatalog.Compiled::name).findFirst().orElse(null);
                            return m.delete().chain(() -> publish(EventType.SEGMENT_EXITED, profileId, m.segmentId,
                                    name, at));
                        })
                        .collect().last().replaceWithVoid()));
    }

    /** The segments a survivor belongs to, with when it entered each. */
    public Uni<List<Membership>> memberships(UUID survivorId) {
        return Panache.getSession().chain(session -> session.createSelectionQuery("""
                        select s.id, s.name, m.enteredAt from SegmentMember m, Segment s
                        where s.id = m.segmentId and m.profileId = ?1 order by s.name""", Object[].class)
                .setParameter(1, survivorId).getResultList())
                .map(rows -> rows.stream().map(r -> new Membership((UUID) r[0], (String) r[1], (Instant) r[2])).toList());
    }

    public record Membership(UUID segmentId, String name, Instant enteredAt) {
    }

    // ---- definitions

    public Uni<List<SegmentView>> list() {
        return Segment.<Segment>list("order by name").chain(segments -> Multi.createFrom().iterable(segments)
                .onItem().transformToUniAndConcatenate(this::view).collect().asList());
    }

    public Uni<SegmentView> get(UUID id) {
        return find(id).chain(this::view);
    }

    public Uni<SegmentView> create(JsonNode body, String idempotencyKey) {
        Definition definition = read(body, true);
        return Transactions.retrying(() -> idempotency.once("segment", idempotencyKey, body, SegmentView.class,
                () -> unused(definition.name(), null).chain(() -> {
                    Instant now = Instant.now();
                    Segment segment = new Segment();
                    segment.id = UUID.randomUUID();
                    segment.createdAt = now;
                    apply(segment, definition, now);
                    return segment.persist().chain(() -> view(segment));
                })))
                .invoke(catalog::invalidate);
    }

    public Uni<SegmentView> update(UUID id, JsonNode body) {
        Definition definition = read(body, true);
        return Transactions.retrying(() -> find(id).chain(segment -> unused(definition.name(), id).chain(() -> {
                    apply(segment, definition, Instant.now());
                    return view(segment);
                })))
                .invoke(catalog::invalidate);
    }

    /** Deletes a segment; its members leave it (published). */
    public Uni<Void> delete(UUID id) {
        return Transactions.retrying(() -> find(id).chain(segment -> SegmentMember
                        .<SegmentMember>list("segmentId", id)
                        .chain(members -> {
                            Instant now = Instant.now();
                            return Multi.createFrom().iterable(members)
                                    .onItem().transformToUniAndConcatenate(m -> publish(EventType.SEGMENT_EXITED,
                                            m.profileId, id, segment.name, now))
                                    .collect().last()
                                    .chain(() -> SegmentMember.delete("segmentId", id))
                                    .chain(segment::delete);
                        })))
                .invoke(catalog::invalidate);
    }

    public Uni<SegmentView.Members> members(UUID id, UUID after, int limit) {
        return find(id).chain(segment -> (after == null
                        ? SegmentMember.<SegmentMember>find("segmentId = ?1 order by profileId", id)
                        : SegmentMember.<SegmentMember>find("segmentId = ?1 and profileId > ?2 order by profileId", id, after))
                .page(0, limit).list()
                .map(rows -> new SegmentView.Members(id,
                        rows.stream().map(m -> new SegmentView.Member(m.profileId, m.enteredAt)).toList(),
                        rows.size() == limit ? rows.get(rows.size() - 1).profileId : null)));
    }

    // ---- preview

    /**
     * Who a definition would hold now, without saving anything: customers (survivors, not erased) are evaluated by
     * the same {@link SegmentEvaluator} stored segments use, a page of customers and their groups at a time — every
     * customer, or only those the definition's interaction conditions leave possible
     * ({@link SegmentEvaluator#candidates}). The caller opens a session.
     */
    public Uni<SegmentView.Preview> preview(JsonNode body) {
        SegmentDefinition definition = read(body, false).definition();
        Instant now = Instant.now();
        PreviewTally tally = new PreviewTally();
        return Panache.getSession().invoke(session -> session.setDefaultReadOnly(true))
                .chain(() -> evaluator.candidates(definition, now))
                .chain(candidates -> candidates.isPresent()
                        ? previewCandidates(definition, candidates.get(), 0, now, tally)
                        : previewEveryone(definition, null, now, tally))
                .map(unused -> new SegmentView.Preview(tally.count, List.copyOf(tally.sample)));
    }

    private Uni<Void> previewEveryone(SegmentDefinition definition, UUID after, Instant now, PreviewTally tally) {
        return survivorsAfter(after, PREVIEW_PAGE).chain(page -> previewPage(definition, page, now, tally)
                .chain(() -> page.size() < PREVIEW_PAGE ? Uni.createFrom().voidItem()
                        : previewEveryone(definition, page.get(page.size() - 1), now, tally)));
    }

    private Uni<Void> previewCandidates(SegmentDefinition definition, List<UUID> candidates, int from, Instant now,
            PreviewTally tally) {
        if (from >= candidates.size()) {
            return Uni.createFrom().voidItem();
        }
        int to = Math.min(candidates.size(), from + PREVIEW_PAGE);
        return previewPage(definition, candidates.subList(from, to), now, tally)
                .chain(() -> previewCandidates(definition, candidates, to, now, tally));
    }

    /** Evaluates a page of survivors in order, with their groups read in one query. */
    private Uni<Void> previewPage(SegmentDefinition definition, List<UUID> page, Instant now, PreviewTally tally) {
        if (page.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Profile.<Profile>list("survivorId in ?1", page).chain(profiles -> {
                    Map<UUID, List<Profile>> groups = profiles.stream()
                            .collect(Collectors.groupingBy(p -> p.survivorId));
                    return Multi.createFrom().iterable(page)
                            .onItem().transformToUniAndConcatenate(id -> evaluator.matches(definition, id,
                                            Profiles.traits(groups.getOrDefault(id, List.of()), id), now)
                                    .invoke(matches -> tally.add(id, matches)))
                            .collect().last();
                })
                // the page's profiles are not needed any more: keep the session small over a large base
                .chain(() -> Panache.getSession()).invoke(Mutiny.Session::clear)
                .replaceWithVoid();
    }

    private static Uni<List<UUID>> survivorsAfter(UUID after, int limit) {
        return Panache.getSession().chain(session -> (after == null
                ? session.createSelectionQuery("select p.id from Profile p where p.survivorId = p.id "
                        + "and p.erasedAt is null order by p.id", UUID.class)
                : session.createSelectionQuery("select p.id from Profile p where p.survivorId = p.id "
                        + "and p.erasedAt is null and p.id > ?1 order by p.id", UUID.class).setParameter(1, after))
                .setMaxResults(limit).getResultList());
    }

    /** Members counted so far and the first {@link #PREVIEW_SAMPLE} of them, in profile id order. */
    private static final class PreviewTally {
        private long count;
        private final List<UUID> sample = new ArrayList<>();

        void add(UUID profileId, boolean matches) {
            if (matches) {
                count++;
                if (sample.size() < PREVIEW_SAMPLE) {
                    sample.add(profileId);
                }
            }
        }
    }

    private record Definition(String name, String description, SegmentDefinition definition) {
    }

    /** Reads and checks a definition as {@code POST /api/segments} takes it; {@code named}: the name is required. */
    private static Definition read(JsonNode body, boolean named) {
        if (body == null || !body.isObject()) {
            throw Problems.badRequest(Violation.body("body", "a segment object"));
        }
        List<Violation> violations = new ArrayList<>();
        JsonNode name = body.get("name");
        boolean omitted = name == null || name.isNull();
        if ((named || !omitted)
                && (omitted || !name.isTextual() || name.asText().isBlank() || name.asText().length() > 200)) {
            violations.add(Violation.body("name", "1 to 200 characters"));
        }
        JsonNode description = body.get("description");
        if (description != null && !description.isNull()
                && (!description.isTextual() || description.asText().length() > 2000)) {
            violations.add(Violation.body("description", "at most 2000 characters"));
        }
        SegmentDefinitionJson.Parsed parsed = SegmentDefinitionJson.parse(body);
        violations.addAll(parsed.violations());
        if (!violations.isEmpty()) {
            throw Problems.badRequest("the segment is not valid", violations);
        }
        return new Definition(omitted ? null : name.asText().trim(),
                description == null || description.isNull() ? null : description.asText(), parsed.definition());
    }

    private void apply(Segment segment, Definition definition, Instant now) {
        segment.name = definition.name();
        segment.description = definition.description();
        segment.definition = mapper.convertValue(SegmentDefinitionJson.write(definition.definition()), Map.class);
        segment.updatedAt = now;
        segment.sweptUntil = now;
        segment.backfillCursor = null;
        segment.backfillDone = false;
    }

    private static Uni<Void> unused(String name, UUID self) {
        return Segment.<Segment>find("name", name).firstResult().map(existing -> {
            if (existing != null && !existing.id.equals(self)) {
                throw Problems.conflict("a segment is already named " + name);
            }
            return null;
        }).replaceWithVoid();
    }

    private static Uni<Segment> find(UUID id) {
        return Segment.<Segment>findById(id).onItem().ifNull().failWith(() -> Problems.notFound("no segment " + id));
    }

    private Uni<SegmentView> view(Segment segment) {
        ObjectNode definition = mapper.valueToTree(segment.definition);
        return SegmentMember.count("segmentId", segment.id)
                .map(members -> new SegmentView(segment.id, segment.name, segment.description,
                        definition.path("match").asText(), definition.path("conditions"), segment.createdAt,
                        segment.updatedAt, segment.backfillDone, members));
    }
}
