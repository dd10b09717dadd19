package dev.omni.profile.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The segment definitions, read at most every {@code omni.segments.catalog-refresh} (and at once after a change
 * made here), so evaluating events does not read them for each one.
 */
@ApplicationScoped
class SegmentCatalog {

    /** A segment ready to evaluate. */
    record Compiled(UUID id, String name, SegmentDefinition definition) {
    }

    private record Snapshot(List<Compiled> segments, Instant readAt) {
    }

    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private final ObjectMapper mapper;
    private final SegmentConfig config;

    SegmentCatalog(ObjectMapper mapper, SegmentConfig config) {
        this.mapper = mapper;
        this.config = config;
    }

    Uni<List<Compiled>> all() {
        Snapshot current = snapshot.get();
        Instant now = Instant.now();
        if (fresh(current, now)) {
            return Uni.createFrom().item(current.segments());
        }
        return Segment.<Segment>listAll().map(rows -> {
            List<Compiled> compiled = rows.stream().map(this::compile).toList();
            snapshot.set(new Snapshot(compiled, now));
            return compiled;
        });
    }

    /** True when the catalog read within its refresh interval holds no segment: nothing to evaluate, no query. */
    boolean knownEmpty() {
        Snapshot current = snapshot.get();
        return fresh(current, Instant.now()) && current.segments().isEmpty();
    }

    private boolean fresh(Snapshot current, Instant now) {
        return current != null && current.readAt().plus(config.catalogRefresh()).isAfter(now);
    }

    Compiled compile(Segment segment) {
        SegmentDefinitionJson.Parsed parsed = SegmentDefinitionJson.parse(mapper.valueToTree(segment.definition));
        if (parsed.definition() == null) {
            throw new IllegalStateException("stored segment " + segment.id + " is invalid: " + parsed.violations());
        }
        return new Compiled(segment.id, segment.name, parsed.definition());
    }

    void invalidate() {
        snapshot.set(null);
    }
}
