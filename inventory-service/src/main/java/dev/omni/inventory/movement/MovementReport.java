package dev.omni.inventory.movement;

import java.util.List;

/** The answer to a batch of movements, in the order they were sent. */
public record MovementReport(int applied, int duplicates, List<MovementOutcome> results) {

    static MovementReport of(List<MovementOutcome> results) {
        int applied = (int) results.stream().filter(r -> r.status() == MovementOutcome.Status.APPLIED).count();
        int duplicates = (int) results.stream().filter(r -> r.status() == MovementOutcome.Status.DUPLICATE).count();
        return new MovementReport(applied, duplicates, results);
    }
}
