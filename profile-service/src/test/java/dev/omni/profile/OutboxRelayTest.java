package dev.omni.profile;

import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay's claims resume just before the newest row it published instead of reading the outbox from its head; a
 * row whose transaction commits after newer rows went out lies before that point and must still be published.
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class OutboxRelayTest {

    private static final String INSERT = """
            INSERT INTO outbox_event (id, topic, record_key, event_type, payload, created_at)
            VALUES ($1, $2, $3, 'omni.test.straggler', $4, $5)""";

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Inject
    Pool pool;

    @Test
    void rowCommittedAfterNewerRowsWentOutIsStillPublished() {
        String topic = "omni.test.outbox-" + UUID.randomUUID();
        kafka.topics().createAndWait(topic, 1);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (ConsumerTask<String, String> records = kafka.consumeStrings().fromTopics(topic)) {
            insert(topic, "newer", now);
            await().atMost(Duration.ofSeconds(20)).until(() -> keys(records).contains("newer"));

            // written a minute before "newer" (by the row's clock), visible only now: older than the relay's margin
            insert(topic, "straggler", now.minusMinutes(1));
            await().atMost(Duration.ofSeconds(40)).until(() -> keys(records).contains("straggler"));
            assertThat(keys(records)).containsExactly("newer", "straggler");
        }
        long left = pool.preparedQuery("SELECT count(*) AS n FROM outbox_event WHERE topic = $1")
                .execute(Tuple.of(topic)).await().indefinitely().iterator().next().getLong("n");
        assertThat(left).isZero();
    }

    private void insert(String topic, String key, OffsetDateTime createdAt) {
        pool.preparedQuery(INSERT).execute(Tuple.of(UUID.randomUUID(), topic, key, "{\"key\":\"" + key + "\"}",
                createdAt)).await().indefinitely();
    }

    private static List<String> keys(ConsumerTask<String, String> records) {
        return records.getRecords().stream().map(ConsumerRecord::key).toList();
    }
}
