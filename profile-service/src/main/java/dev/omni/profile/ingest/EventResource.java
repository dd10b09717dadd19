package dev.omni.profile.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code POST /api/events}: one event or a batch of up to 500, Segment-like. */
@Path("/api/events")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    static final int MAX_BATCH = 500;

    private final EventParser parser;
    private final AcceptLog log;
    private final IngestResolver resolver;
    private final IngestConfig config;

    public EventResource(EventParser parser, AcceptLog log, IngestResolver resolver, IngestConfig config) {
        this.parser = parser;
        this.log = log;
        this.resolver = resolver;
        this.config = config;
    }

    @POST
    @ResponseStatus(202)
    @Operation(summary = "Ingest one event or a batch", description = "202 when at least one event was accepted: "
            + "the accepted events are committed to the accept log in one statement and will reach omni.interactions "
            + "whatever happens to the request. The result of each event is listed. 400 when none was accepted, or "
            + "with atomic=true when any is not valid.")
    public Uni<IngestReport> ingest(@RequestBody(required = true) JsonNode body,
            @Parameter(description = "true: the batch is refused whole (400, nothing ingested) when any event is not "
                    + "valid, instead of ingesting the valid ones (used by the gateway's Segment API)")
            @QueryParam("atomic") boolean atomic,
            @Parameter(description = "true (default): answer once the accepted events are resolved, with each one's "
                    + "profileId (at most omni.ingest.wait-timeout; then without it); false: answer as soon as they are "
                    + "durably accepted, without profileIds")
            @QueryParam("wait") @DefaultValue("true") boolean wait) {
        List<JsonNode> items = new ArrayList<>();
        boolean batch = body != null && body.isArray();
        if (batch) {
            body.forEach(items::add);
        } else if (body != null && body.isObject()) {
            items.add(body);
        } else {
            throw Problems.badRequest(Violation.body("body", "an event object or an array of events"));
        }
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            throw Problems.badRequest(Violation.body("body", "a batch holds 1 to " + MAX_BATCH + " events, not "
                    + items.size()));
        }
        List<EventParser.Parsed> parsed = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            parsed.add(parser.parse(items.get(i), batch ? "[" + i + "]." : ""));
        }
        if (atomic && batch && !parsed.stream().allMatch(EventParser.Parsed::valid)) {
            throw Problems.badRequest("the batch is refused whole: not every event is valid",
                    parsed.stream().flatMap(p -> p.violations().stream()).toList());
        }
        if (parsed.stream().noneMatch(EventParser.Parsed::valid)) {
            throw Problems.badRequest(batch ? "no event of the batch is valid" : "the event is not valid",
                    parsed.stream().flatMap(p -> p.violations().stream()).toList());
        }
        // a messageId repeated within the batch: the first one counts
        List<AcceptLog.Entry> entries = new ArrayList<>();
        Map<Integer, Integer> repeatOf = new HashMap<>();
        Map<String, Integer> firstWith = new HashMap<>();
        for (int i = 0; i < parsed.size(); i++) {
            if (!parsed.get(i).valid()) {
                continue;
            }
            String messageId = parsed.get(i).event().messageId();
            Integer first = messageId == null ? null : firstWith.putIfAbsent(messageId, i);
            if (first != null) {
                repeatOf.put(i, first);
            } else {
                entries.add(new AcceptLog.Entry(i, messageId, items.get(i).toString()));
            }
        }
        return log.accept(entries, wait).chain(accepted -> {
            resolver.wake();
            if (!wait) {
                return Uni.createFrom().item(report(parsed, accepted, repeatOf, Map.of()));
            }
            Map<Integer, CompletableFuture<AcceptLog.Outcome>> outcomes = new HashMap<>();
            accepted.forEach((index, a) -> {
                if (a.staged()) {
                    outcomes.put(index, log.awaiting(a.seq()));
                }
            });
            return Uni.createFrom().completionStage(CompletableFuture.allOf(outcomes.values()
                            .toArray(CompletableFuture[]::new)))
                    .ifNoItem().after(config.waitTimeout()).recoverWithItem((Void) null)
                    .onTermination().invoke(() -> accepted.values().forEach(a -> {
                        if (a.staged()) {
                            log.forget(a.seq());
                        }
                    }))
                    .map(done -> {
                        Map<Integer, AcceptLog.Outcome> resolved = new HashMap<>();
                        outcomes.forEach((index, future) -> {
                            if (future.isDone() && !future.isCompletedExceptionally()) {
                                resolved.put(index, future.join());
                            }
                        });
                        return report(parsed, accepted, repeatOf, resolved);
                    });
        });
    }

    private static IngestReport report(List<EventParser.Parsed> parsed, Map<Integer, AcceptLog.Accepted> accepted,
            Map<Integer, Integer> repeatOf, Map<Integer, AcceptLog.Outcome> resolved) {
        List<IngestResult> results = new ArrayList<>(parsed.size());
        for (int i = 0; i < parsed.size(); i++) {
            if (!parsed.get(i).valid()) {
                results.add(IngestResult.rejected(i, parsed.get(i).violations()));
                continue;
            }
            Integer first = repeatOf.get(i);
            if (first != null) {
                AcceptLog.Outcome outcome = resolved.get(first);
                AcceptLog.Accepted original = accepted.get(first);
                results.add(IngestResult.duplicate(i, outcome != null ? outcome.profileId()
                        : original != null ? original.duplicateOf() : null));
                continue;
            }
            AcceptLog.Accepted a = accepted.get(i);
            if (a == null || !a.staged()) {
                // a repeat of a messageId accepted before (by this or a concurrent request)
                results.add(IngestResult.duplicate(i, a == null ? null : a.duplicateOf()));
                continue;
            }
            AcceptLog.Outcome outcome = resolved.get(i);
            if (outcome == null) {
                results.add(new IngestResult(i, IngestResult.Status.ACCEPTED, null, null, null, null));
            } else if (outcome.status() == IngestResult.Status.REJECTED) {
                results.add(IngestResult.rejected(i, List.of()));
            } else {
                results.add(new IngestResult(i, IngestResult.Status.ACCEPTED, outcome.profileId(), outcome.merged(),
                        outcome.notes(), null));
            }
        }
        return IngestReport.of(results);
    }
}
