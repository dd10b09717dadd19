package dev.omni.messaging.journey;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.InvalidEventException;
import dev.omni.contracts.Topics;
import dev.omni.contracts.availability.BackInStock;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.reservation.ReservationAtRisk;
import dev.omni.contracts.reservation.ReservationReallocated;
import dev.omni.platform.inbox.Inbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Journey triggers and exits from {@code omni.interactions} (an order ends the cart journey before anything it may
 * start), {@code omni.availability} (back in stock, for each subscriber) and {@code omni.reservations} (at risk,
 * reallocated). All three are busy (every interaction, stock picture and reservation comes by) and few records start
 * or end a journey, so each is consumed a poll at a time ({@code batch=true}): one transaction per poll instead of
 * one per record, and none for a poll without a record that can start or end a journey.
 */
@ApplicationScoped
public class TriggerConsumer {

    static final String INTERACTIONS = "messaging-interactions";
    static final String AVAILABILITY = "messaging-availability";
    static final String RESERVATIONS = "messaging-reservations";

    private final Inbox inbox;
    private final JourneyEngine engine;

    public TriggerConsumer(Inbox inbox, JourneyEngine engine) {
        this.inbox = inbox;
        this.engine = engine;
    }

    /**
     * Nearly every interaction is a page or product view no journey starts or ends on: the poll first reads which
     * event names matter (one query), and only interactions with those names are handled and recorded as seen.
     */
    @Incoming(Topics.INTERACTIONS)
    public Uni<Void> onInteractions(ConsumerRecords<String, String> records) {
        return Panache.withSession(engine::interactionEvents).chain(names -> inbox.consumeAll(INTERACTIONS, records,
                event -> concerns(event, names), event -> logged(INTERACTIONS, event, interaction(event)),
                nothing -> Uni.createFrom().voidItem()));
    }

    static boolean concerns(CloudEvent<?> event, Set<String> names) {
        return event.data() instanceof InteractionRecorded interaction && interaction.event() != null
                && names.contains(interaction.event());
    }

    private Uni<Void> interaction(CloudEvent<?> event) {
        if (!(event.data() instanceof InteractionRecorded interaction) || interaction.event() == null) {
            return Uni.createFrom().voidItem();
        }
        UUID profileId = profileId(interaction.profileId());
        Map<String, Object> properties = new HashMap<>(interaction.properties() == null ? Map.of()
                : interaction.properties());
        properties.put("name", interaction.event());
        if (interaction.channel() != null) {
            properties.put("channel", interaction.channel().wire());
        }
        if (interaction.value() != null) {
            properties.put("value", interaction.value());
        }
        return engine.exitOn(profileId, interaction.event())
                .chain(() -> engine.trigger(new Trigger(Trigger.INTERACTION, profileId, interaction.event(),
                        properties)));
    }

    /** Mostly stock pictures no journey waits for: a poll per transaction, like {@code omni.interactions}. */
    @Incoming(Topics.AVAILABILITY)
    public Uni<Void> onAvailability(ConsumerRecords<String, String> records) {
        return inbox.consumeAll(AVAILABILITY, records, TriggerConsumer::startsJourneys,
                event -> logged(AVAILABILITY, event, availability(event)), nothing -> Uni.createFrom().voidItem());
    }

    /**
     * The stock and reservation events a journey can start from: back in stock with subscribers, a reservation of a
     * known customer at risk or moved. The others (nearly all) are not even recorded as seen.
     */
    static boolean startsJourneys(CloudEvent<?> event) {
        return event.data() instanceof BackInStock back ? back.subscriberProfileIds() != null
                : event.data() instanceof ReservationAtRisk risk ? risk.profileId() != null
                : event.data() instanceof ReservationReallocated moved && moved.profileId() != null;
    }

    private Uni<Void> availability(CloudEvent<?> event) {
        if (!(event.data() instanceof BackInStock back) || back.subscriberProfileIds() == null) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("sku", back.sku());
        properties.put("available", back.available());
        putIfPresent(properties, "productId", back.productId());
        putIfPresent(properties, "locationId", back.locationId());
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String subscriber : List.copyOf(back.subscriberProfileIds())) {
            UUID profileId = profileId(subscriber);
            chain = chain.chain(() -> engine.trigger(new Trigger(Trigger.BACK_IN_STOCK, profileId, back.sku(),
                    properties)));
        }
        return chain;
    }

    /** Every reservation's lifecycle comes by, few concern a journey: a poll per transaction as well. */
    @Incoming(Topics.RESERVATIONS)
    public Uni<Void> onReservations(ConsumerRecords<String, String> records) {
        return inbox.consumeAll(RESERVATIONS, records, TriggerConsumer::startsJourneys,
                event -> logged(RESERVATIONS, event, reservation(event)), nothing -> Uni.createFrom().voidItem());
    }

    /** The inbox retries and dead-letters a failed handler; the cause is worth a line in the log. */
    public static Uni<Void> logged(String consumer, CloudEvent<?> event, Uni<Void> handled) {
        return handled.onFailure().invoke(failure -> Log.warnf(failure, "%s: %s %s failed: %s", consumer,
                event.type(), event.id(), failure.getMessage()));
    }

    private Uni<Void> reservation(CloudEvent<?> event) {
        if (event.data() instanceof ReservationAtRisk risk && risk.profileId() != null) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("reservationId", risk.reservationId());
            properties.put("sku", risk.sku());
            properties.put("locationId", risk.locationId());
            properties.put("shortfall", risk.shortfall());
            return engine.trigger(new Trigger(Trigger.RESERVATION_AT_RISK, profileId(risk.profileId()),
                    risk.reservationId(), properties));
        }
        if (event.data() instanceof ReservationReallocated moved && moved.profileId() != null) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("reservationId", moved.reservationId());
            properties.put("fromLocationId", moved.fromLocationId());
            properties.put("toLocationId", moved.toLocationId());
            properties.put("lines", moved.lines() == null ? List.of() : moved.lines().stream()
                    .map(line -> Map.of("sku", line.sku(), "locationId", line.locationId(), "quantity", line.quantity()))
                    .toList());
            return engine.trigger(new Trigger(Trigger.RESERVATION_REALLOCATED, profileId(moved.profileId()),
                    moved.reservationId(), properties));
        }
        return Uni.createFrom().voidItem();
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static UUID profileId(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidEventException("profileId '" + value + "' is not a profile id");
        }
    }
}
