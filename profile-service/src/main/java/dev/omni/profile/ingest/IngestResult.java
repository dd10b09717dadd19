package dev.omni.profile.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.omni.platform.problem.Violation;

import java.util.List;
import java.util.UUID;

/**
 * What became of one event of a request: accepted, duplicate (ignored) or rejected with its violations.
 *
 * @param mergedProfileIds profiles merged into {@code profileId} because of this event
 * @param notes            identifiers not attached or profiles not merged, with the reason
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record IngestResult(int index, Status status, UUID profileId, List<UUID> mergedProfileIds, List<String> notes,
        List<Violation> violations) {

    public enum Status {
        ACCEPTED, DUPLICATE, REJECTED
    }

    static IngestResult rejected(int index, List<Violation> violations) {
        return new IngestResult(index, Status.REJECTED, null, null, null, violations);
    }

    static IngestResult duplicate(int index, UUID profileId) {
        return new IngestResult(index, Status.DUPLICATE, profileId, null, null, null);
    }
}
