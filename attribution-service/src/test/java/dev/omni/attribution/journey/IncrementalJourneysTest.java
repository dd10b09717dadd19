package dev.omni.attribution.journey;

import dev.omni.attribution.AttributionConfig;
import dev.omni.attribution.Events;
import dev.omni.attribution.model.Attribution;
import dev.omni.attribution.model.Journeys;
import dev.omni.attribution.model.MarkovModel;
import dev.omni.attribution.model.ShapleyModel;
import dev.omni.attribution.report.ModelSettings;
import dev.omni.attribution.report.ReportRequest;
import dev.omni.attribution.report.ReportService;
import dev.omni.attribution.touchpoint.TouchpointRecorder;
import dev.omni.contracts.Channel;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.testing.ServiceInfraResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.data.Offset.offset;

/**
 * The journeys kept up to date as events stream in equal the journeys a full recomputation builds from the rows,
 * after every batch of a stream of events arriving in random order (conversions before the touches that led to
 * them, touches older than journeys already stored), with merges, an unmerge and an erasure in between — in every
 * dimension and for several windows, journey by journey and in the credit the models give.
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class IncrementalJourneysTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant MARCH = Instant.parse("2025-03-01T00:00:00Z");

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Inject
    ReportService reports;

    @Inject
    JourneyService journeys;

    @Inject
    JourneyMaterializer materializer;

    @Inject
    AttributionConfig config;

    @Inject
    Pool pool;

    @Inject
    TouchpointRecorder recorder;

    @Inject
    MeterRegistry registry;

    @Test
    void incrementalJourneysEqualAFullRecomputationAfterEveryBatchOfAStreamInRandomOrder() {
        Random random = new Random(20250301);
        List<String> profiles = new ArrayList<>();
        for (int p = 0; p < 12; p++) {
            profiles.add(Events.newProfile());
        }
        List<CloudEvent<?>> stream = new ArrayList<>();
        for (String profile : profiles) {
            stream.addAll(history(profile, random));
        }
        Collections.shuffle(stream, random);
        int third = stream.size() / 3;

        // batch 1: a third of the interactions, in random order
        send(stream.subList(0, third));
        assertIncrementalEqualsFull();

        // batch 2: another third, then profile 1 merged into 0 and 3 into 2, and 5 into 4 (undone below)
        send(stream.subList(third, 2 * third));
        CloudEvent<ProfileMerged> undone = Events.merged(profiles.get(4), profiles.get(5));
        send(List.of(Events.merged(profiles.get(0), profiles.get(1)), Events.merged(profiles.get(2), profiles.get(3)),
                undone));
        assertIncrementalEqualsFull();

        // batch 3: the rest — late events of merged ids join their survivor — then an unmerge and an erasure of an id
        // that had been merged into another profile
        send(stream.subList(2 * third, stream.size()));
        send(List.of(Events.unmerged(undone.data()), Events.erased(profiles.get(3))));
        assertIncrementalEqualsFull();
        assertThat(count("SELECT count(*) FROM journey_path WHERE owner_id = $1", profiles.get(1)))
                .as("a merged-away id owns no journeys").isZero();
        assertThat(count("SELECT count(*) FROM journey_path WHERE owner_id = $1", profiles.get(5)))
                .as("after the unmerge the restored profile has its own journeys again").isPositive();
    }

    @Test
    void aConsumedEventMarksItsProfileStaleAndTheScheduledRefreshRebuildsItsJourneys() {
        String profile = Events.newProfile();
        Instant visit = MARCH.plus(Duration.ofDays(3));
        send(List.of(Events.visit(profile, Channel.WEB, visit, Map.of()),
                Events.order(profile, Channel.WEB, visit.plus(Duration.ofMinutes(5)), "40.50")));
        assertThat(count("SELECT count(*) FROM journey_stale WHERE profile_id = $1", profile))
                .as("marked in the events' transaction (once per poll that consumed one of them)").isBetween(1L, 2L);
        assertThat(count("SELECT count(*) FROM journey_path WHERE owner_id = $1", profile))
                .as("not rebuilt in the events' transaction").isZero();

        double rebuiltBefore = registry.counter("omni.attribution.journeys.rebuilt").count();
        onVertx(materializer::scheduledRefresh);
        assertThat(registry.counter("omni.attribution.journeys.rebuilt").count() - rebuiltBefore)
                .as("profiles rebuilt, in /q/metrics").isGreaterThanOrEqualTo(1);

        assertThat(count("SELECT count(*) FROM journey_stale WHERE profile_id = $1", profile)).isZero();
        assertThat(count("SELECT count(*) FROM journey_path WHERE owner_id = $1 AND conversion_id IS NOT NULL",
                profile)).as("its converted journey, once per dimension").isEqualTo(Dimension.values().length);
    }

    /**
     * A refresh that runs while an event's transaction is still open claims the profile's earlier mark and rebuilds
     * its journeys without that event; the event's own mark, committed after the refresh, keeps the profile for the
     * next one. (With one mark per profile, the event's mark had been a no-op on the earlier one: the profile was left
     * stale and unmarked, and reports read journeys without the event.)
     */
    @Test
    void anEventCommittedWhileARefreshRunsKeepsItsProfileMarkedForTheNext() {
        String profile = Events.newProfile();
        Instant visit = MARCH.plus(Duration.ofDays(4));
        send(List.of(Events.visit(profile, Channel.WEB, visit, Map.of())));
        CloudEvent<InteractionRecorded> late = Events.visit(profile, Channel.EMAIL, visit.plus(Duration.ofMinutes(10)),
                Map.of());
        onVertx(() -> Panache.withTransaction(() -> recorder.erasures(List.of(profile))
                .chain(known -> recorder.recordInteraction(late.id(), late.time(), late.data(), known))
                .chain(recorded -> recorder.store(List.of(recorded)))
                // a refresh in a transaction of its own, on another context, while this one is still open
                .chain(() -> {
                    Context context = Vertx.currentContext();
                    return Uni.createFrom().completionStage(
                                    CompletableFuture.supplyAsync(() -> onVertx(materializer::refreshStale)))
                            .emitOn(command -> context.runOnContext(ignored -> command.run()));
                })));
        assertThat(lastJourneyEnd(profile)).as("the refresh ran before the late event committed").isEqualTo(visit);
        assertThat(count("SELECT count(*) FROM journey_stale WHERE profile_id = $1", profile))
                .as("the late event's mark, committed after the refresh claimed the earlier one").isOne();
        onVertx(materializer::refreshStale);
        assertThat(count("SELECT count(*) FROM journey_stale WHERE profile_id = $1", profile)).isZero();
        assertThat(lastJourneyEnd(profile)).isEqualTo(visit.plus(Duration.ofMinutes(10)));
    }

    private Instant lastJourneyEnd(String profile) {
        return pool.preparedQuery("SELECT max(end_at) FROM journey_path WHERE owner_id = $1").execute(Tuple.of(profile))
                .await().indefinitely().iterator().next().getOffsetDateTime(0).toInstant();
    }

    /** A profile's month: 6–14 touches on varied channels and campaigns, some in one visit, and 0–3 orders. */
    private static List<CloudEvent<?>> history(String profile, Random random) {
        List<CloudEvent<?>> events = new ArrayList<>();
        int touches = 6 + random.nextInt(9);
        Instant at = MARCH.plus(Duration.ofHours(random.nextInt(24 * 10)));
        for (int t = 0; t < touches; t++) {
            // sometimes minutes apart (one visit), sometimes days
            at = at.plus(random.nextInt(3) == 0 ? Duration.ofMinutes(1 + random.nextInt(20))
                    : Duration.ofHours(1 + random.nextInt(72)));
            switch (random.nextInt(5)) {
                case 0 -> events.add(Events.visit(profile, Channel.WEB, at,
                        Map.of("utm_source", "google", "utm_medium", "cpc", "utm_campaign", "search-" + random.nextInt(2),
                                "cost", "0.50")));
                case 1 -> events.add(Events.visit(profile, Channel.WEB, at, Map.of()));
                case 2 -> events.add(Events.message(EventType.MESSAGE_CLICKED, profile, Channel.EMAIL, "newsletter",
                        at));
                case 3 -> events.add(Events.visit(profile, Channel.STORE, at, Map.of()));
                default -> events.add(Events.visit(profile, Channel.APP, at,
                        Map.of("utm_source", "facebook", "utm_medium", "social")));
            }
            if (random.nextInt(5) == 0) {
                events.add(Events.order(profile, random.nextBoolean() ? Channel.WEB : Channel.POS,
                        at.plus(Duration.ofMinutes(random.nextInt(90))), (20 + random.nextInt(200)) + ".50"));
            }
        }
        return events;
    }

    private void send(List<CloudEvent<?>> events) {
        Events.produce(kafka, events.toArray(CloudEvent[]::new));
        UUID[] ids = events.stream().map(CloudEvent::id).toArray(UUID[]::new);
        await().atMost(WAIT).until(() -> count("SELECT count(DISTINCT event_id) FROM processed_event"
                + " WHERE event_id = ANY($1)", ids) == ids.length);
    }

    private void assertIncrementalEqualsFull() {
        assertThat(materializer.ready()).isTrue();
        List<JourneyWindow> served = List.of(
                new JourneyWindow(MARCH, Instant.parse("2025-05-01T00:00:00Z"), config.lookback()),
                new JourneyWindow(Instant.parse("2025-03-12T00:00:00Z"), Instant.parse("2025-06-01T00:00:00Z"),
                        config.lookback()));
        for (JourneyWindow window : served) {
            for (Dimension dimension : Dimension.values()) {
                ReportService.Input input = request(window, dimension);
                assertThat(input.incremental()).as("served from the maintained journeys: %s", window).isTrue();
                JourneyPaths full = JourneyPaths.of(journeys.journeys(window).await().indefinitely().journeys(),
                        dimension, config.sessionGap());
                assertSame(input.paths(), full, window + " " + dimension);
                assertThat(input.paths().journeys().size()).isPositive();
            }
        }
        // a window ending before stored events, or another lookback: recomputed from the rows
        assertThat(request(new JourneyWindow(MARCH, Instant.parse("2025-03-08T00:00:00Z"), config.lookback()),
                Dimension.CHANNEL).incremental()).isFalse();
        assertThat(request(new JourneyWindow(MARCH, Instant.parse("2025-05-01T00:00:00Z"), Duration.ofDays(7)),
                Dimension.CHANNEL).incremental()).isFalse();
    }

    private ReportService.Input request(JourneyWindow window, Dimension dimension) {
        return onVertx(() -> reports.input(new ReportRequest(window, dimension,
                new ModelSettings(1, Duration.ofDays(7), 20))));
    }

    private static void assertSame(JourneyPaths incremental, JourneyPaths full, String what) {
        Journeys a = incremental.journeys();
        Journeys b = full.journeys();
        assertThat(incremental.uncreditedConversions()).as(what).isEqualTo(full.uncreditedConversions());
        assertThat(a.channels()).as(what).isEqualTo(b.channels());
        assertThat(a.size()).as(what).isEqualTo(b.size());
        for (int j = 0; j < a.size(); j++) {
            assertThat(a.converted(j)).as(what + " journey " + j).isEqualTo(b.converted(j));
            assertThat(a.value(j)).as(what + " journey " + j).isEqualTo(b.value(j));
            assertThat(a.length(j)).as(what + " journey " + j).isEqualTo(b.length(j));
            for (int i = 0; i < a.length(j); i++) {
                assertThat(a.touch(a.start(j) + i)).as(what + " journey " + j).isEqualTo(b.touch(b.start(j) + i));
                assertThat(a.age(a.start(j) + i)).as(what + " journey " + j).isEqualTo(b.age(b.start(j) + i));
            }
        }
        for (var model : List.of(new MarkovModel(2), new ShapleyModel())) {
            Attribution x = model.attribute(a);
            Attribution y = model.attribute(b);
            for (int c = 0; c < a.channelCount(); c++) {
                assertThat(x.conversions(c)).as(what + " " + model.name()).isCloseTo(y.conversions(c), offset(1e-12));
                assertThat(x.value(c)).as(what + " " + model.name()).isCloseTo(y.value(c), offset(1e-9));
            }
        }
    }

    /** As a request or the scheduler would run it: on a Vert.x context (Hibernate Reactive's sessions need one). */
    private static <T> T onVertx(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (Throwable failure) {
            throw new AssertionError(failure);
        }
    }

    private long count(String sql, Object parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely().iterator().next()
                .getLong(0);
    }
}
