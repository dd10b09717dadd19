package dev.omni.profile;

import dev.omni.contracts.Channel;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.platform.inbox.Inbox;
import dev.omni.platform.kafka.KafkaSender;
import dev.omni.platform.sql.NativeSql;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class MessageEventConsumerTest {

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Inject
    Pool pool;

    @Inject
    Inbox inbox;

    @Inject
    KafkaSender sender;

    @Inject
    Vertx vertx;

    @Test
    void sentMessageLandsOnTheTimelineOnceEvenIfRedelivered() {
        String profileId = given().contentType("application/json")
                .body("{\"type\":\"page\",\"channel\":\"web\",\"identifiers\":{\"anonymousId\":\"m-" + UUID.randomUUID() + "\"}}")
                .post("/api/events").then().statusCode(202).extract().path("results[0].profileId");
        CloudEvent<MessageStatusChanged> sent = CloudEvent.of(EventType.MESSAGE_SENT, "/messaging-service", "msg-1",
                new MessageStatusChanged("msg-1", profileId, Channel.EMAIL, "cart-reminder", "cart-abandonment",
                        "winter-sale", "smtp", null, null, Instant.now()));
        String value = EventCodec.encode(sent);
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.MESSAGE_EVENTS, "msg-1", value),
                new ProducerRecord<>(Topics.MESSAGE_EVENTS, "msg-1", value)).awaitCompletion();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/profiles/" + profileId)
                .then().statusCode(200).body("timeline.name", hasItem("omni.message.sent")));
        // the second copy is consumed after the first; once the marker below is on the timeline, both were
        CloudEvent<MessageStatusChanged> opened = CloudEvent.of(EventType.MESSAGE_OPENED, "/messaging-service", "msg-1",
                new MessageStatusChanged("msg-1", profileId, Channel.EMAIL, "cart-reminder", null, null, "smtp", null,
                        null, Instant.now()));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.MESSAGE_EVENTS, "msg-1",
                EventCodec.encode(opened))).awaitCompletion();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/profiles/" + profileId)
                .then().body("timeline.name", hasItem("omni.message.opened")));
        given().get("/api/profiles/" + profileId).then()
                .body("timeline.findAll { it.name == 'omni.message.sent' }.size()", is(1));
    }

    /**
     * A transient database failure (here a serialization failure, SQLSTATE 40001, raised by a trigger on the first
     * two attempts: a sequence counts attempts, since a rolled-back row would not) is retried and the event applied,
     * not dead-lettered. The poll's transaction fails, the event is applied on its own, fails again, and its retry
     * (after a backoff) succeeds. Retries resubscribe on the consumer's Vert.x context; from the backoff's timer
     * thread Hibernate Reactive refused every attempt (HR000068) and the event went to the dead-letter topic.
     */
    @Test
    void transientFailureIsRetriedAndApplied() {
        String profileId = given().contentType("application/json")
                .body("{\"type\":\"page\",\"channel\":\"web\",\"identifiers\":{\"anonymousId\":\"f-" + UUID.randomUUID() + "\"}}")
                .post("/api/events").then().statusCode(202).extract().path("results[0].profileId");
        String messageId = "flaky-" + UUID.randomUUID();
        sql("CREATE SEQUENCE flaky_attempts");
        sql("""
                CREATE FUNCTION fail_first_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.details->>'messageId' = '%s' AND nextval('flaky_attempts') <= 2 THEN
                        RAISE EXCEPTION 'attempt fails' USING ERRCODE = '40001';
                    END IF;
                    RETURN NEW;
                END $$""".formatted(messageId));
        sql("CREATE TRIGGER fail_first_attempt BEFORE INSERT ON timeline_entry FOR EACH ROW "
                + "EXECUTE FUNCTION fail_first_attempt()");
        try {
            CloudEvent<MessageStatusChanged> sent = CloudEvent.of(EventType.MESSAGE_SENT, "/messaging-service",
                    messageId, new MessageStatusChanged(messageId, profileId, Channel.EMAIL, "cart-reminder", null,
                            null, "smtp", null, null, Instant.now()));
            kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.MESSAGE_EVENTS, messageId,
                    EventCodec.encode(sent))).awaitCompletion();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/profiles/" + profileId)
                    .then().statusCode(200).body("timeline.name", hasItem("omni.message.sent")));
            long attempts = pool.query("SELECT last_value FROM flaky_attempts").execute().await().indefinitely()
                    .iterator().next().getLong(0);
            assertThat(attempts).isEqualTo(3);
        } finally {
            sql("DROP TRIGGER fail_first_attempt ON timeline_entry");
            sql("DROP FUNCTION fail_first_attempt()");
            sql("DROP SEQUENCE flaky_attempts");
        }
    }

    /**
     * A service that is stopping leaves an event that fails (here as when the connection pool closes under it)
     * unacknowledged instead of retrying it into the dead-letter topic: its processing never completes, so the
     * connector commits nothing past it and the next start receives it again, and applies it once. While running,
     * the same failure is retried and then reported (the channel's strategy dead-letters it).
     */
    @Test
    void aStoppingServiceLeavesAFailingEventForTheNextStart() throws Exception {
        String messageId = "stop-" + UUID.randomUUID();
        CloudEvent<MessageStatusChanged> sent = CloudEvent.of(EventType.MESSAGE_SENT, "/messaging-service",
                messageId, new MessageStatusChanged(messageId, "p-" + UUID.randomUUID(), Channel.EMAIL,
                        "cart-reminder", null, null, "smtp", null, null, Instant.now()));
        String value = EventCodec.encode(sent);
        String consumer = "shutdown-test";
        AtomicInteger attempts = new AtomicInteger();
        Function<CloudEvent<?>, Uni<Void>> poolClosed = event -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(new IllegalStateException("Pool closed"));
        };

        CompletableFuture<Void> running = onContext(() -> inbox.consume(consumer, value, poolClosed));
        assertThatThrownBy(() -> running.get(20, TimeUnit.SECONDS)).hasRootCauseMessage("Pool closed");
        assertThat(attempts).hasValue(6);

        attempts.set(0);
        Inbox stopping = new Inbox(sender, new NativeSql());
        stopping.stop();
        CompletableFuture<Void> left = onContext(() -> stopping.consume(consumer, value, poolClosed));
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> !left.isDone());
        assertThat(attempts).hasValue(1);
        assertThat(processed(consumer, sent.id())).isZero();

        onContext(() -> new Inbox(sender, new NativeSql()).consume(consumer, value, event -> Uni.createFrom().voidItem()))
                .get(20, TimeUnit.SECONDS);
        assertThat(processed(consumer, sent.id())).isEqualTo(1);
    }

    private long processed(String consumer, UUID eventId) {
        return pool.preparedQuery("SELECT count(*) FROM processed_event WHERE consumer = $1 AND event_id = $2")
                .execute(Tuple.of(consumer, eventId)).await().indefinitely().iterator().next().getLong(0);
    }

    /** Subscribes on a Vert.x duplicated context, as the Kafka connector calls a consumer. */
    private <T> CompletableFuture<T> onContext(Supplier<Uni<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> work.get().subscribe().with(result::complete, result::completeExceptionally));
        return result;
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().indefinitely();
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopic() {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.MESSAGE_EVENTS, "bad", "{not json"))
                .awaitCompletion();
        var dead = kafka.consumeStrings().fromTopics(Topics.deadLetter(Topics.MESSAGE_EVENTS), 1)
                .awaitCompletion(Duration.ofSeconds(20)).getRecords();
        assertThat(dead.get(0).value()).isEqualTo("{not json");
    }
}
