package dev.omni.profile.ingest;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Queue;

/**
 * The durable half of ingestion: one statement remembers the batch's new messageIds (set-based, a repeat within the
 * dedupe window is not staged) and appends the rest to {@code accepted_event}. When it returns the events are
 * committed and {@link IngestResolver} will apply them, whatever happens to the request or the process.
 */
@ApplicationScoped
public class AcceptLog {

    private static final String ACCEPT = """
            WITH input AS (
                SELECT * FROM unnest($1::int[], $2::text[], $3::text[]) AS t(idx, message_id, payload)),
            fresh AS (
                INSERT INTO ingested_message (message_id, received_at)
                SELECT message_id, $4 FROM input WHERE message_id IS NOT NULL
                ON CONFLICT (message_id) DO UPDATE SET received_at = EXCLUDED.received_at, profile_id = NULL
                WHERE ingested_message.received_at <= $5
                RETURNING message_id),
            staged AS (
                INSERT INTO accepted_event (batch_index, message_id, payload, awaited, accepted_at)
                SELECT idx, message_id, payload, $6, $4 FROM input
                WHERE message_id IS NULL OR message_id IN (SELECT message_id FROM fresh)
                ORDER BY idx
                RETURNING seq, batch_index)
            SELECT batch_index AS idx, seq, NULL::uuid AS profile_id FROM staged
            UNION ALL
            SELECT i.idx, NULL::bigint, m.profile_id FROM input i JOIN ingested_message m ON m.message_id = i.message_id
            WHERE i.message_id NOT IN (SELECT message_id FROM fresh)""";

    /** One event to accept: its index in the request, messageId (or null) and JSON. */
    public record Entry(int index, String messageId, String json) {
    }

    /** What the accept did with an event: staged as {@code seq}, or a duplicate of a profile (when known). */
    public record Accepted(Long seq, UUID duplicateOf) {
        public boolean staged() {
            return seq != null;
        }
    }

    /** The resolution of a staged event, for a request that waits for it. */
    public record Outcome(IngestResult.Status status, UUID profileId, List<UUID> merged, List<String> notes) {
    }

    private final Pool pool;
    private static final long UNCOLLECTED_NANOS = 60_000_000_000L;

    private final Map<Long, CompletableFuture<Outcome>> waiting = new ConcurrentHashMap<>();
    private final Queue<long[]> told = new ConcurrentLinkedQueue<>();

    public AcceptLog(Pool pool) {
        this.pool = pool;
    }

    /** Index in the request → what became of it; an index missing lost a race with the same messageId (duplicate). */
    public Uni<Map<Integer, Accepted>> accept(List<Entry> entries, boolean awaited) {
        int n = entries.size();
        Integer[] indexes = new Integer[n];
        String[] messageIds = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Entry entry = entries.get(i);
            indexes[i] = entry.index();
            messageIds[i] = entry.messageId();
            payloads[i] = entry.json();
        }
        Instant now = Instant.now();
        Tuple args = Tuple.of(indexes, messageIds, payloads, now.atOffset(ZoneOffset.UTC),
                now.minus(IngestedMessage.DEDUPE_WINDOW).atOffset(ZoneOffset.UTC), awaited);
        return pool.preparedQuery(ACCEPT).execute(args).map(rows -> {
            Map<Integer, Accepted> result = new HashMap<>();
            for (Row row : rows) {
                result.put(row.getInteger("idx"), new Accepted(row.getLong("seq"), row.getUUID("profile_id")));
            }
            return result;
        });
    }

    /** Completes when the resolver applied {@code seq} (on this instance); register before waking the resolver. */
    CompletableFuture<Outcome> awaiting(long seq) {
        return waiting.computeIfAbsent(seq, s -> new CompletableFuture<>());
    }

    void forget(long seq) {
        waiting.remove(seq);
    }

    /** Told by the resolver for every event that was accepted with a waiting request. */
    void resolved(long seq, Outcome outcome) {
        waiting.computeIfAbsent(seq, s -> new CompletableFuture<>()).complete(outcome);
        // an answer nobody collects (its request timed out or runs on another instance) is dropped after a minute
        long now = System.nanoTime();
        told.add(new long[] {seq, now});
        for (long[] head = told.peek(); head != null && now - head[1] > UNCOLLECTED_NANOS; head = told.peek()) {
            told.poll();
            waiting.remove(head[0]);
        }
    }
}
