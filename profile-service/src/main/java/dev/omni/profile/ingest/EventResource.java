package dev.omni.profile.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
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
import java.util.List;

/** {@code POST /api/events}: one event or a batch of up to 500, Segment-like. */
@Path("/api/events")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    static final int MAX_BATCH = 500;

    private final EventParser parser;
    private final IngestionService ingestion;

    public EventResource(EventParser parser, IngestionService ingestion) {
        this.parser = parser;
        this.ingestion = ingestion;
    }

    @POST
    @ResponseStatus(202)
    @Operation(summary = "Ingest one event or a batch", description = "202 when at least one event was accepted; "
            + "the result of each event is listed. 400 when none was, or with atomic=true when any is not valid.")
    public Uni<IngestReport> ingest(@RequestBody(required = true) JsonNode body,
            @Parameter(description = "true: the batch is refused whole (400, nothing ingested) when any event is not "
                    + "valid, instead of ingesting the valid ones (used by the gateway's Segment API)")
            @QueryParam("atomic") boolean atomic) {
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
        // in order, one transaction each: a later event of the batch sees the profiles an earlier one created
        return Multi.createFrom().range(0, parsed.size())
                .onItem().transformToUniAndConcatenate(i -> parsed.get(i).valid()
                        ? ingestion.ingest(i, parsed.get(i))
                        : Uni.createFrom().item(IngestResult.rejected(i, parsed.get(i).violations())))
                .collect().asList()
                .map(IngestReport::of);
    }
}
