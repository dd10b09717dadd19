package dev.omni.profile.ingest;

import java.util.List;

/** The answer to an ingest request: counts and one result per event, in request order. */
public record IngestReport(long accepted, long duplicates, long rejected, List<IngestResult> results) {

    static IngestReport of(List<IngestResult> results) {
        return new IngestReport(count(results, IngestResult.Status.ACCEPTED),
                count(results, IngestResult.Status.DUPLICATE), count(results, IngestResult.Status.REJECTED), results);
    }

    private static long count(List<IngestResult> results, IngestResult.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
