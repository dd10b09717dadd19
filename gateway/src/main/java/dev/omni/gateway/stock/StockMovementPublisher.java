package dev.omni.gateway.stock;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.stock.StockMovementRecorded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Publishes movements to {@code omni.stock-movements}, one CloudEvent per movement keyed {@code sku@locationId}, and
 * completes only when Kafka acknowledged every record ({@code acks=all}). The gateway has no database, hence no
 * outbox: the partner's 202 is the acknowledgement, and a failed batch is safe to resend since inventory-service
 * applies each movement id once.
 */
@ApplicationScoped
public class StockMovementPublisher {

    static final String SOURCE = "/gateway";

    private final MutinyEmitter<String> emitter;
    private final StockMovementsConfig config;
    private final Counter published;

    public StockMovementPublisher(@Channel(Topics.STOCK_MOVEMENTS)
            @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192) MutinyEmitter<String> emitter,
            StockMovementsConfig config, MeterRegistry registry) {
        this.emitter = emitter;
        this.config = config;
        this.published = Counter.builder("omni.gateway.stock-movements.published")
                .description("Stock movements acknowledged by Kafka").register(registry);
    }

    /** The events sent, once every one is acknowledged; fails if any is not within the publish timeout. */
    public Uni<List<CloudEvent<StockMovementRecorded>>> publish(List<StockMovementRecorded> movements,
            String requestId) {
        List<CloudEvent<StockMovementRecorded>> events = movements.stream()
                .map(m -> CloudEvent.of(EventType.STOCK_MOVEMENT_RECORDED, SOURCE, m.sku() + "@" + m.locationId(), m))
                .toList();
        List<Uni<Void>> sends = events.stream().map(event -> send(event, requestId)).toList();
        return Uni.join().all(sends).andCollectFailures()
                .ifNoItem().after(config.publishTimeout()).fail()
                .invoke(() -> published.increment(events.size()))
                .replaceWith(events);
    }

    private Uni<Void> send(CloudEvent<StockMovementRecorded> event, String requestId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        if (requestId != null) {
            headers.add("x-request-id", requestId.getBytes(StandardCharsets.UTF_8));
        }
        return emitter.sendMessage(Message.of(EventCodec.encode(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(event.key())
                        .withHeaders(headers)
                        .build()));
    }
}
