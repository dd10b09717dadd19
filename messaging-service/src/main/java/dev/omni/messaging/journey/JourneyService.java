package dev.omni.messaging.journey;

import dev.omni.messaging.MessagingConfig;
import dev.omni.messaging.TimeSource;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Journey definitions: validated on every save; the built-in ones installed at start-up when missing. */
@ApplicationScoped
public class JourneyService {

    static final List<String> BUILT_INS = List.of("cart-abandonment");

    private final JourneyValidator validator;
    private final TimeSource time;
    private final MessagingConfig config;

    public JourneyService(JourneyValidator validator, TimeSource time, MessagingConfig config) {
        this.validator = validator;
        this.time = time;
        this.config = config;
    }

    void installBuiltIns(@Observes StartupEvent startup) throws Throwable {
        if (!config.journeys().installBuiltIns()) {
            return;
        }
        for (String id : BUILT_INS) {
            JourneyDefinition definition = read(id);
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Journey.<Journey>findById(id)
                    .chain(existing -> existing != null ? Uni.createFrom().voidItem()
                            : save(definition, true, true).invoke(() -> Log.infof("installed built-in journey %s", id))
                                    .replaceWithVoid())));
        }
    }

    /** Creates a journey; 409 when the id exists. */
    public Uni<JourneyView> create(JourneyDefinition definition) {
        return Panache.withTransaction(() -> validated(definition)
                .chain(() -> Journey.<Journey>findById(definition.id()))
                .chain(existing -> {
                    if (existing != null) {
                        throw Problems.conflict("journey " + definition.id() + " exists; PUT it to change it");
                    }
                    return save(definition, false, true);
                }));
    }

    /** Replaces a journey's definition; active runs continue on the new one from the step they are at. */
    public Uni<JourneyView> replace(String id, JourneyDefinition definition, Boolean active) {
        if (definition != null && !id.equals(definition.id())) {
            throw Problems.badRequest(Violation.body("id", "must equal the id in the path (" + id + ")"));
        }
        return Panache.withTransaction(() -> validated(definition)
                .chain(() -> Journey.<Journey>findById(id))
                .chain(existing -> existing == null ? save(definition, false, active == null || active)
                        : update(existing, definition, active)));
    }

    public Uni<JourneyView> setActive(String id, boolean active) {
        return Panache.withTransaction(() -> find(id).invoke(journey -> {
            journey.active = active;
            journey.updatedAt = time.now();
        })).map(JourneyView::of);
    }

    public Uni<Journey> find(String id) {
        return Journey.<Journey>findById(id).onItem().ifNull().failWith(() -> Problems.notFound("no journey " + id));
    }

    public Uni<List<RunView>> runs(String id, UUID profileId) {
        Uni<List<JourneyRun>> runs = profileId == null
                ? JourneyRun.find("journeyId = ?1 order by startedAt desc", id).page(0, 100).list()
                : JourneyRun.list("journeyId = ?1 and profileId = ?2 order by startedAt desc", id, profileId);
        return runs.chain(all -> all.isEmpty() ? Uni.createFrom().item(List.<RunView>of())
                : JourneyTimer.<JourneyTimer>list("runId in ?1", all.stream().map(run -> run.id).toList())
                        .map(timers -> all.stream().map(run -> RunView.of(run, timers.stream()
                                .filter(t -> t.runId.equals(run.id)).findFirst().orElse(null))).toList()));
    }

    private Uni<Void> validated(JourneyDefinition definition) {
        return validator.validate(definition).invoke(violations -> {
            if (!violations.isEmpty()) {
                throw Problems.badRequest("the journey is invalid: " + violations.get(0).field() + ": "
                        + violations.get(0).message(), violations);
            }
        }).replaceWithVoid();
    }

    private Uni<JourneyView> save(JourneyDefinition definition, boolean builtIn, boolean active) {
        Instant now = time.now();
        Journey journey = new Journey();
        journey.id = definition.id();
        journey.createdAt = now;
        journey.builtIn = builtIn;
        journey.active = active;
        return update(journey, definition, null, now).chain(j -> j.<Journey>persist()).map(JourneyView::of);
    }

    private Uni<JourneyView> update(Journey journey, JourneyDefinition definition, Boolean active) {
        return update(journey, definition, active, time.now()).map(JourneyView::of);
    }

    private static Uni<Journey> update(Journey journey, JourneyDefinition definition, Boolean active, Instant now) {
        journey.name = definition.name();
        journey.triggerType = definition.trigger().type();
        journey.definition = JourneyJson.toMap(definition);
        journey.updatedAt = now;
        if (active != null) {
            journey.active = active;
        }
        return Uni.createFrom().item(journey);
    }

    static JourneyDefinition read(String id) {
        try (InputStream in = JourneyService.class.getResourceAsStream("/journeys/" + id + ".json")) {
            if (in == null) {
                throw new IllegalStateException("built-in journey " + id + " missing from the classpath");
            }
            return JourneyJson.MAPPER.readValue(in, JourneyDefinition.class);
        } catch (IOException e) {
            throw new IllegalStateException("built-in journey " + id + " is not valid JSON", e);
        }
    }
}
