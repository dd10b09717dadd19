package dev.omni.platform.kafka;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The service's one Kafka producer for records whose topic is chosen per record (channel {@value #CHANNEL}: acks=all,
 * idempotent): the outbox relay's events and the inbox's dead letters. A send completes when the broker acknowledged
 * it.
 */
@ApplicationScoped
public class KafkaSender {

    public static final String CHANNEL = "omni-outbox";

    private final MutinyEmitter<String> emitter;

    public KafkaSender(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> send(String topic, String key, String value, RecordHeaders headers) {
        return emitter.sendMessage(Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(key)
                .withHeaders(headers)
                .build()));
    }
}
