package dev.omni.gateway.availability;

import dev.omni.contracts.Topics;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ready once the availability cache holds everything {@code omni.availability} held when the gateway started. Until
 * then a new instance would answer with a partial stock picture, and replaying the topic competes with requests for
 * the CPU: a load balancer should send it nothing yet.
 */
@Readiness
@ApplicationScoped
public class AvailabilityCacheReadiness implements AsyncHealthCheck {

    private static final String NAME = "availability cache";

    private final KafkaClientService clients;
    private final CatchUp catchUp;

    public AvailabilityCacheReadiness(KafkaClientService clients, AvailabilityConsumer consumer) {
        this.clients = clients;
        this.catchUp = consumer.catchUp();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (catchUp.caughtUp()) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).up().build());
        }
        return target().map(ignored -> catchUp.caughtUp()
                        ? HealthCheckResponse.named(NAME).up().build()
                        : HealthCheckResponse.named(NAME).down().withData("behind", catchUp.behind()).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("error", String.valueOf(failure.getMessage())).build());
    }

    /** Asks the broker once where the topic ends (on the consumer's own polling thread). */
    private Uni<Void> target() {
        if (catchUp.hasTarget()) {
            return Uni.createFrom().voidItem();
        }
        KafkaConsumer<String, String> consumer = clients.getConsumer(Topics.AVAILABILITY);
        if (consumer == null) {
            return Uni.createFrom().failure(new IllegalStateException("the consumer has not started"));
        }
        return consumer.runOnPollingThread(kafka -> {
            List<TopicPartition> partitions = kafka.partitionsFor(Topics.AVAILABILITY).stream()
                    .map((PartitionInfo p) -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<Integer, Long> ends = new HashMap<>();
            Map<Integer, Long> beginnings = new HashMap<>();
            kafka.endOffsets(partitions).forEach((tp, offset) -> ends.put(tp.partition(), offset));
            kafka.beginningOffsets(partitions).forEach((tp, offset) -> beginnings.put(tp.partition(), offset));
            catchUp.target(ends, beginnings);
            return null;
        }).replaceWithVoid();
    }
}
