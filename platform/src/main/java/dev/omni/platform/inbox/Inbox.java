package dev.omni.platform.inbox;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.InvalidEventException;
import dev.omni.platform.kafka.KafkaSender;
import dev.omni.platform.sql.NativeSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The consuming side of every topic: decodes a record, and applies it exactly once per consumer by recording its
 * event id in {@code processed_event} in the same transaction as the handler's changes. A record that is not a
 * valid event fails at once (the channel's dead-letter strategy sends it to {@code <topic>.dlq}); a transient
 * failure is retried with backoff before it does.
 * <p>
 * A channel consumed in batches ({@code batch=true}) goes through {@link #consumeAll}: one transaction for the whole
 * poll instead of one per record, and one follow-up step for all its events (attribution rebuilds each profile's
 * journeys once per batch instead of once per event).
 * <p>
 * Once the application is stopping ({@link ShutdownEvent}), an event that fails is neither retried nor
 * dead-lettered: its processing never completes, so its offset is not committed and the next start receives it
 * again (the inbox applies it once). A stopping service's failures are its own — the connection pool closing under
 * an event in flight — not the event's.
 */
@ApplicationScoped
public class Inbox {

    private static final String MARK = "INSERT INTO processed_event (consumer, event_id, event_type, subject) "
            + "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";
    /** A poll's new events in one statement: the ids it returns are the events not applied before. */
    private static final String MARK_ALL = "INSERT INTO processed_event (consumer, event_id, event_type, subject) "
            + "SELECT ?1, e.id, e.type, e.subject FROM unnest(?2::uuid[], ?3::text[], ?4::text[]) AS e(id, type, subject) "
            + "ON CONFLICT DO NOTHING RETURNING event_id";
    private static final int ATTEMPTS = 5;

    private final KafkaSender sender;
    private final NativeSql sql;
    private volatile boolean stopping;

    public Inbox(KafkaSender sender, NativeSql sql) {
        this.sender = sender;
        this.sql = sql;
    }

    void onStop(@Observes ShutdownEvent shutdown) {
        stop();
    }

    /** From now on a failing event is left unacknowledged for the next start instead of retried or dead-lettered. */
    public void stop() {
        stopping = true;
    }

    /**
     * @param consumer names the handler; one event may be applied once by each consumer of a service
     * @param value    the Kafka record value
     * @param handler  the state change, run in the inbox transaction; not called for a repeated event
     */
    public Uni<Void> consume(String consumer, String value, Function<CloudEvent<?>, Uni<Void>> handler) {
        return consume(consumer, value, event -> true, handler);
    }

    /**
     * {@link #consume(String, String, Function)} for a consumer that acts on few of its topic's events: an event
     * {@code relevant} refuses opens no transaction and is not recorded (handling it would change nothing, so there
     * is nothing to apply only once). A record that is no event fails all the same.
     *
     * @param relevant true for an event the handler may act on; the handler must do nothing for the others
     */
    public Uni<Void> consume(String consumer, String value, Predicate<CloudEvent<?>> relevant,
            Function<CloudEvent<?>, Uni<Void>> handler) {
        CloudEvent<?> event;
        try {
            event = EventCodec.decode(value);
        } catch (InvalidEventException e) {
            Log.warnf("%s: poison record sent to dead-letter topic: %s", consumer, e.getMessage());
            return Uni.createFrom().failure(e);
        }
        if (!relevant.test(event)) {
            return Uni.createFrom().voidItem();
        }
        return onThisContext(Uni.createFrom().deferred(() -> once(consumer, event, handler)))
                .onFailure().invoke(failure -> Log.warnf("%s: %s %s failed: %s", consumer, event.type(), event.id(),
                        failure.getMessage()))
                .onFailure(failure -> !(failure instanceof InvalidEventException) && !stopping)
                .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).atMost(ATTEMPTS)
                .onFailure(failure -> stopping).recoverWithUni(failure -> leftForNextStart(consumer, event));
    }

    private static Uni<Void> leftForNextStart(String consumer, CloudEvent<?> event) {
        Log.infof("%s: stopping; %s %s is left unacknowledged for the next start", consumer, event.type(), event.id());
        return Uni.createFrom().nothing();
    }

    /**
     * {@code work} subscribed on the caller's Vert.x context, also when a retry resubscribes it: the backoff's timer
     * fires on a worker thread (which Quarkus gives the same Vert.x context), where Hibernate Reactive refuses to
     * run (HR000068), so every retry would fail and a transient failure would dead-letter the event.
     */
    private static <T> Uni<T> onThisContext(Uni<T> work) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return work;
        }
        Executor onContext = task -> {
            if (Context.isOnEventLoopThread() && Vertx.currentContext() == context) {
                task.run();
            } else {
                context.runOnContext(ignored -> task.run());
            }
        };
        return work.runSubscriptionOn(onContext);
    }

    /**
     * Applies a polled batch exactly once per event, in record order: marks and handles every new event in one
     * transaction, then {@code finish}es with the handlers' results in the same transaction. When that transaction
     * fails, each record is applied on its own as {@link #consume} does (retried with backoff), and a record that
     * still fails, like one that is not a valid event, is sent to {@code <topic>.dlq} with the dead-letter headers
     * of SmallRye's strategy; the batch completes once those sends are acknowledged, so nothing is lost and one bad
     * record does not hold back or dead-letter the others.
     *
     * @param handler the state change of one event, run in the inbox transaction; its result goes to {@code finish}
     * @param finish  run once after the handlers in the same transaction, with the non-null results
     */
    public <T> Uni<Void> consumeAll(String consumer, ConsumerRecords<String, String> records,
            Function<CloudEvent<?>, Uni<T>> handler, Function<List<T>, Uni<Void>> finish) {
        return consumeAll(consumer, records, event -> true, handler, finish);
    }

    /**
     * {@link #consumeAll(String, ConsumerRecords, Function, Function)} for a consumer that acts on few of the events
     * of its topic: an event {@code relevant} refuses is neither handled nor recorded (handling it would change
     * nothing, so there is nothing to apply only once), and a poll without a relevant event opens no transaction.
     * Records that are no event are dead-lettered all the same.
     *
     * @param relevant true for an event the handler may act on; the handler must do nothing for the others
     */
    public <T> Uni<Void> consumeAll(String consumer, ConsumerRecords<String, String> records,
            Predicate<CloudEvent<?>> relevant, Function<CloudEvent<?>, Uni<T>> handler,
            Function<List<T>, Uni<Void>> finish) {
        List<ConsumerRecord<String, String>> valid = new ArrayList<>(records.count());
        List<CloudEvent<?>> events = new ArrayList<>(records.count());
        List<Uni<Void>> deadLetters = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                CloudEvent<?> event = EventCodec.decode(record.value());
                if (relevant.test(event)) {
                    events.add(event);
                    valid.add(record);
                }
            } catch (InvalidEventException e) {
                Log.warnf("%s: poison record sent to dead-letter topic: %s", consumer, e.getMessage());
                deadLetters.add(deadLetter(record, e));
            }
        }
        Uni<Void> poison = deadLetters.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(deadLetters).andFailFast().replaceWithVoid();
        if (events.isEmpty()) {
            return poison;
        }
        return poison.chain(() -> Panache.withTransaction(() -> applyAll(consumer, events, handler, finish))
                .onFailure().recoverWithUni(failure -> {
                    Log.warnf("%s: a batch of %d events failed (%s); applying them one by one", consumer,
                            events.size(), failure.getMessage());
                    return oneByOne(consumer, valid, 0, handler, finish);
                }));
    }

    /**
     * Marks the poll's events in one statement, then handles the ones it inserted, in record order; an event id
     * seen before (an earlier poll, or an earlier record of this one) is skipped.
     */
    private <T> Uni<Void> applyAll(String consumer, List<CloudEvent<?>> events, Function<CloudEvent<?>, Uni<T>> handler,
            Function<List<T>, Uni<Void>> finish) {
        // a repeat within the poll is skipped by ON CONFLICT DO NOTHING and its id returned once
        return sql.rows(MARK_ALL, consumer,
                        NativeSql.column(events, CloudEvent::id, UUID[]::new),
                        NativeSql.column(events, CloudEvent::type, String[]::new),
                        NativeSql.column(events, CloudEvent::subject, String[]::new))
                .chain(marked -> {
                    Set<UUID> fresh = new HashSet<>(marked.size() * 2);
                    marked.forEach(row -> fresh.add((UUID) row[0]));
                    List<CloudEvent<?>> unseen = new ArrayList<>(fresh.size());
                    for (CloudEvent<?> event : events) {
                        if (fresh.remove(event.id())) {
                            unseen.add(event);
                        } else {
                            logRepeat(consumer, event);
                        }
                    }
                    // one after another without nesting: chained one inside the other, a poll of hundreds of
                    // handlers that complete at once (no statement of their own) never completed, no error logged
                    return Multi.createFrom().iterable(unseen)
                            .onItem().<T>transformToUniAndConcatenate(handler::apply)
                            .collect().asList()
                            .chain(finish::apply);
                });
    }

    private <T> Uni<Void> oneByOne(String consumer, List<ConsumerRecord<String, String>> records, int index,
            Function<CloudEvent<?>, Uni<T>> handler, Function<List<T>, Uni<Void>> finish) {
        if (index == records.size()) {
            return Uni.createFrom().voidItem();
        }
        ConsumerRecord<String, String> record = records.get(index);
        return consume(consumer, record.value(), event -> handler.apply(event)
                .chain(result -> finish.apply(result == null ? List.of() : List.of(result))))
                .onFailure().recoverWithUni(failure -> deadLetter(record, failure))
                .chain(() -> oneByOne(consumer, records, index + 1, handler, finish));
    }

    /** The record to {@code <topic>.dlq} as SmallRye's dead-letter strategy writes it; done when acknowledged. */
    private Uni<Void> deadLetter(ConsumerRecord<String, String> record, Throwable reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        header(headers, "dead-letter-reason", Objects.toString(reason.getMessage(), reason.getClass().getName()));
        if (reason.getCause() != null) {
            header(headers, "dead-letter-cause", Objects.toString(reason.getCause().getMessage(),
                    reason.getCause().getClass().getName()));
        }
        header(headers, "dead-letter-topic", record.topic());
        header(headers, "dead-letter-partition", Integer.toString(record.partition()));
        header(headers, "dead-letter-offset", Long.toString(record.offset()));
        return sender.send(record.topic() + ".dlq", record.key(), record.value(), headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private Uni<Integer> mark(String consumer, CloudEvent<?> event) {
        return sql.write(MARK, consumer, event.id(), event.type(), event.subject());
    }

    private Uni<Void> once(String consumer, CloudEvent<?> event, Function<CloudEvent<?>, Uni<Void>> handler) {
        return Panache.withTransaction(() -> mark(consumer, event)
                .chain(inserted -> {
                    if (inserted == 1) {
                        return handler.apply(event);
                    }
                    logRepeat(consumer, event);
                    return Uni.createFrom().voidItem();
                }));
    }

    private static void logRepeat(String consumer, CloudEvent<?> event) {
        Log.debugf("%s: event %s already processed", consumer, event.id());
    }
}
