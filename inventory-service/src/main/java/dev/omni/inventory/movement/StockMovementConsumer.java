package dev.omni.inventory.movement;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.InvalidEventException;
import dev.omni.contracts.Topics;
import dev.omni.contracts.stock.StockMovementRecorded;
import dev.omni.inventory.availability.AvailabilityPublisher;
import dev.omni.inventory.reservation.Reallocation;
import dev.omni.platform.inbox.Inbox;
import dev.omni.platform.problem.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/** Movements POS and WMS partners posted to the gateway, applied like those posted here. */
@ApplicationScoped
public class StockMovementConsumer {

    static final String CONSUMER = "inventory-movements";

    private final Inbox inbox;
    private final MovementParser parser;
    private final MovementService movements;
    private final Reallocation reallocation;
    private final AvailabilityPublisher availability;

    public StockMovementConsumer(Inbox inbox, MovementParser parser, MovementService movements,
            Reallocation reallocation, AvailabilityPublisher availability) {
        this.availability = availability;
        this.inbox = inbox;
        this.parser = parser;
        this.movements = movements;
        this.reallocation = reallocation;
    }

    @Incoming(Topics.STOCK_MOVEMENTS)
    public Uni<Void> onMovement(String value) {
        AtomicReference<List<UUID>> atRisk = new AtomicReference<>(List.of());
        return availability.tracked(() -> inbox.consume(CONSUMER, value,
                        event -> apply(event).invoke(atRisk::set).replaceWithVoid()))
                .call(() -> reallocation.reallocate(atRisk.get()));
    }

    private Uni<List<UUID>> apply(CloudEvent<?> event) {
        if (!(event.data() instanceof StockMovementRecorded recorded)) {
            return Uni.createFrom().item(List.of());
        }
        MovementRequest request = MovementRequest.of(recorded);
        List<Violation> violations = parser.check(request, "");
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new InvalidEventException("invalid movement " + recorded.movementId() + ": "
                    + violations.stream().map(v -> v.field() + " " + v.message()).collect(Collectors.joining("; "))));
        }
        return movements.recordInTransaction(List.of(request), MovementService.Origin.KAFKA)
                .map(MovementService.Recorded::atRisk);
    }
}
