package dev.omni.profile.ingest;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** Forgets messageIds older than the dedupe window, so the table holds one day of traffic. */
@ApplicationScoped
class DedupeWindowPruner {

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return Panache.withTransaction(() -> IngestedMessage.delete("receivedAt < ?1",
                Instant.now().minus(IngestedMessage.DEDUPE_WINDOW))).replaceWithVoid();
    }
}
