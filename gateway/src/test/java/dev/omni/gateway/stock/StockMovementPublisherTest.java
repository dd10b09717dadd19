package dev.omni.gateway.stock;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.stock.MovementKind;
import dev.omni.contracts.stock.StockMovementRecorded;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The partner's 202 waits for Kafka: publishing completes only when every record was acknowledged. */
class StockMovementPublisherTest {

    private final AckOnDemandEmitter emitter = new AckOnDemandEmitter();
    private final StockMovementPublisher publisher = new StockMovementPublisher(emitter, config(Duration.ofSeconds(30)),
            new SimpleMeterRegistry());

    @Test
    void completesOnlyWhenEveryRecordIsAcknowledged() {
        UniAssertSubscriber<List<CloudEvent<StockMovementRecorded>>> published = publisher
                .publish(List.of(movement("m-1", "SKU-1"), movement("m-2", "SKU-2")), "req-1")
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        assertThat(emitter.sent).hasSize(2);
        emitter.acks.get(0).complete(null);
        published.assertNotTerminated();
        emitter.acks.get(1).complete(null);
        List<CloudEvent<StockMovementRecorded>> events = published.awaitItem().getItem();
        assertThat(events).extracting(CloudEvent::key).containsExactly("SKU-1@store-1", "SKU-2@store-1");
        assertThat(emitter.sent.get(0).getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey())
                .isEqualTo("SKU-1@store-1");
        assertThat(EventCodec.decode(emitter.sent.get(1).getPayload(), StockMovementRecorded.class).data().movementId())
                .isEqualTo("m-2");
    }

    @Test
    void oneRefusedRecordFailsTheBatch() {
        UniAssertSubscriber<List<CloudEvent<StockMovementRecorded>>> published = publisher
                .publish(List.of(movement("m-1", "SKU-1"), movement("m-2", "SKU-2")), null)
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        emitter.acks.get(0).complete(null);
        emitter.acks.get(1).completeExceptionally(new IllegalStateException("not leader"));
        published.awaitFailure();
    }

    @Test
    void noAcknowledgementInTimeFailsTheBatch() {
        new StockMovementPublisher(emitter, config(Duration.ofMillis(200)), new SimpleMeterRegistry()).publish(List.of(movement("m-1", "SKU-1")), null)
                .subscribe().withSubscriber(UniAssertSubscriber.create())
                .awaitFailure(Duration.ofSeconds(5));
    }

    private static StockMovementRecorded movement(String id, String sku) {
        return new StockMovementRecorded(id, MovementKind.RECEIPT, sku, "store-1", 1, null, null, "partner-pos",
                Instant.parse("2026-03-14T09:00:00Z"));
    }

    private static StockMovementsConfig config(Duration publishTimeout) {
        return new StockMovementsConfig() {
            @Override
            public int maxBatch() {
                return 500;
            }

            @Override
            public Duration publishTimeout() {
                return publishTimeout;
            }

            @Override
            public Duration maxClockSkew() {
                return Duration.ofMinutes(5);
            }
        };
    }

    /** Records every message and acknowledges it only when the test completes its future. */
    private static final class AckOnDemandEmitter implements MutinyEmitter<String> {
        final List<Message<String>> sent = new ArrayList<>();
        final List<CompletableFuture<Void>> acks = new ArrayList<>();

        @Override
        @SuppressWarnings("unchecked")
        public <M extends Message<? extends String>> Uni<Void> sendMessage(M message) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            sent.add((Message<String>) message);
            acks.add(ack);
            return Uni.createFrom().completionStage(ack);
        }

        @Override
        public Uni<Void> send(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendAndAwait(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Cancellable sendAndForget(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends String>> void send(M message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends String>> void sendMessageAndAwait(M message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends String>> Cancellable sendMessageAndForget(M message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }
}
