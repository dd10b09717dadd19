package dev.omni.profile.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.omni.platform.problem.Violation;

import java.util.List;
import java.util.UUID;

/** What became of one event of a request: accepted, duplicate (ignored) or rejected with its violations. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record IngestResult(int index, Status status, UUID profileId, List<Violation> violations) {

    public enum Status {
        ACCEPTED, DUPLICATE, REJECTED
    }

    static IngestResult rejected(int index, List<Violation> violations) {
        return new IngestResult(index, Status.REJECTED, null, violations);
    }
}
