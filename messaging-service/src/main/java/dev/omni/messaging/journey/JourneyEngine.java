package dev.omni.messaging.journey;

import dev.omni.contracts.Channel;
import dev.omni.messaging.Channels;
import dev.omni.messaging.TimeSource;
import dev.omni.messaging.contact.Contact;
import dev.omni.messaging.message.Draft;
import dev.omni.messaging.message.Message;
import dev.omni.messaging.message.MessageService;
import dev.omni.messaging.message.MessageStatus;
import dev.omni.messaging.message.Purpose;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Moves runs through their journey, always inside the caller's transaction: a trigger starts a run (one active run
 * per journey and profile; a repeat trigger refreshes its context), steps run until the next wait or fallback, which
 * leaves a timer row; exit events and erasure end runs and delete their timers. A send step records its message with
 * the idempotency key {@code journey:<run>:<step>}, so a step that runs again sends nothing twice.
 */
@ApplicationScoped
public class JourneyEngine {

    private static final String START_RUN = """
            INSERT INTO journey_run (id, journey_id, profile_id, status, current_step, context, started_at, updated_at)
            VALUES (?1, ?2, ?3, 'ACTIVE', ?4, '{}'::jsonb, ?5, ?5)
            ON CONFLICT (journey_id, profile_id) WHERE status = 'ACTIVE' DO NOTHING""";
    private static final String ENTER_STEP = """
            INSERT INTO journey_step_entry (run_id, step_id, journey_id, entered_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (run_id, step_id) DO NOTHING""";
    /** Steps one run may take without waiting; definitions have no cycles, so this only bounds a bad graph. */
    private static final int MAX_STEPS = 100;

    private final MessageService messages;
    private final TimeSource time;

    public JourneyEngine(MessageService messages, TimeSource time) {
        this.messages = messages;
        this.time = time;
    }

    /**
     * The interaction event names that start an active journey or end a run of any journey (a journey switched off
     * keeps its runs until they end); an interaction with another name starts and ends nothing. Needs a session.
     */
    public Uni<Set<String>> interactionEvents() {
        return Journey.<Journey>listAll().map(journeys -> {
            Set<String> names = new HashSet<>();
            for (Journey journey : journeys) {
                JourneyDefinition definition = journey.parsed();
                JourneyDefinition.TriggerSpec trigger = definition.trigger();
                if (journey.active && trigger != null && Trigger.INTERACTION.equals(trigger.type())
                        && trigger.event() != null) {
                    names.add(trigger.event());
                }
                if (definition.exitWhen() != null) {
                    definition.exitWhen().stream().map(JourneyDefinition.ExitSpec::event).filter(Objects::nonNull)
                            .forEach(names::add);
                }
            }
            return names;
        });
    }

    /** Starts every active journey this trigger matches. */
    public Uni<Void> trigger(Trigger trigger) {
        return Journey.<Journey>list("active = true and triggerType = ?1 order by id", trigger.type())
                .chain(journeys -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Journey journey : journeys) {
                        JourneyDefinition definition = journey.parsed();
                        if (trigger.starts(definition.trigger())) {
                            chain = chain.chain(() -> start(definition, trigger));
                        }
                    }
                    return chain;
                });
    }

    /** Ends the active runs of the profile whose journey exits on this interaction event. */
    public Uni<Void> exitOn(UUID profileId, String event) {
        return JourneyRun.<JourneyRun>list("profileId = ?1 and status = ?2", profileId, JourneyRun.ACTIVE)
                .chain(runs -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (JourneyRun run : runs) {
                        chain = chain.chain(() -> Journey.<Journey>findById(run.journeyId).chain(journey -> {
                            List<JourneyDefinition.ExitSpec> endsOn = journey.parsed().exitWhen();
                            boolean exits = endsOn != null && endsOn.stream().anyMatch(e -> event.equals(e.event()));
                            return exits ? end(run, JourneyRun.EXITED, "exit: " + event) : Uni.createFrom().voidItem();
                        }));
                    }
                    return chain;
                });
    }

    /** Ends every active run of the profile (erasure, merge). */
    public Uni<Void> stopRuns(UUID profileId, String reason) {
        return JourneyRun.<JourneyRun>list("profileId = ?1 and status = ?2", profileId, JourneyRun.ACTIVE)
                .chain(runs -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (JourneyRun run : runs) {
                        chain = chain.chain(() -> end(run, JourneyRun.STOPPED, reason));
                    }
                    return chain;
                });
    }

    private Uni<Void> end(JourneyRun run, String status, String reason) {
        run.end(status, reason, time.now());
        return JourneyTimer.delete("runId", run.id).replaceWithVoid();
    }

    /** Starts a run, or, when one is active, refreshes what its templates see (another cart item). */
    private Uni<Void> start(JourneyDefinition definition, Trigger trigger) {
        Instant now = time.now();
        UUID runId = UUID.randomUUID();
        Map<String, Object> context = trigger.properties() == null ? Map.of() : trigger.properties();
        return Panache.getSession().chain(session -> session.createNativeQuery(START_RUN)
                        .setParameter(1, runId)
                        .setParameter(2, definition.id())
                        .setParameter(3, trigger.profileId())
                        .setParameter(4, definition.firstStep())
                        .setParameter(5, now)
                        .executeUpdate())
                .chain(inserted -> (inserted == 1 ? JourneyRun.<JourneyRun>findById(runId)
                        : JourneyRun.<JourneyRun>find("journeyId = ?1 and profileId = ?2 and status = ?3",
                                definition.id(), trigger.profileId(), JourneyRun.ACTIVE).firstResult())
                        .chain(run -> {
                            if (run == null) {
                                return Uni.createFrom().voidItem();
                            }
                            run.context = new HashMap<>(context);
                            run.updatedAt = now;
                            return inserted == 1 ? advance(definition, run, definition.firstStep(), now)
                                    : Uni.createFrom().voidItem();
                        }));
    }

    /** A timer of the run fired for {@code stepId}: a wait is over, or a fallback is due to be decided. */
    Uni<Void> resume(JourneyDefinition definition, JourneyRun run, String stepId) {
        Instant now = time.now();
        JourneyDefinition.Step step = definition.step(stepId);
        if (step == null) {
            run.end(JourneyRun.FAILED, "step " + stepId + " no longer in the journey", now);
            return Uni.createFrom().voidItem();
        }
        if ("wait".equals(step.type())) {
            return advance(definition, run, step.next(), now);
        }
        return Message.<Message>find("journeyRunId = ?1 and stepId = ?2", run.id, step.of()).firstResult()
                .chain(watched -> {
                    if (watched != null && watched.status.pending()) {
                        Instant from = watched.status == MessageStatus.HELD && watched.sendAfter != null
                                ? watched.sendAfter : now;
                        return waitUntil(run, step.id(), from.plus(Duration.parse(step.after())), now);
                    }
                    boolean reached = watched != null && switch (step.unless()) {
                        case "delivered" -> watched.deliveredAt != null;
                        case "read" -> watched.openedAt != null;
                        default -> watched.clickedAt != null;
                    };
                    return advance(definition, run, reached ? step.next() : step.then(), now);
                });
    }

    /** Runs steps from {@code stepId} until one waits or the run ends. */
    private Uni<Void> advance(JourneyDefinition definition, JourneyRun run, String stepId, Instant now) {
        return advance(definition, run, stepId, now, 0);
    }

    private Uni<Void> advance(JourneyDefinition definition, JourneyRun run, String stepId, Instant now, int taken) {
        if (stepId == null) {
            run.end(JourneyRun.COMPLETED, null, now);
            return Uni.createFrom().voidItem();
        }
        if (taken >= MAX_STEPS) {
            run.end(JourneyRun.FAILED, "more than " + MAX_STEPS + " steps without a wait", now);
            return Uni.createFrom().voidItem();
        }
        JourneyDefinition.Step step = definition.step(stepId);
        run.currentStep = stepId;
        run.updatedAt = now;
        return entered(run, stepId, now).chain(() -> switch (step.type()) {
            case "wait" -> waitUntil(run, step.id(), now.plus(Duration.parse(step.duration())), now);
            case "fallback" -> waitUntil(run, step.id(), now.plus(Duration.parse(step.after())), now);
            case "send" -> send(definition, run, step)
                    .chain(() -> advance(definition, run, step.next(), now, taken + 1));
            case "condition" -> holds(step.condition(), run.profileId)
                    .chain(holds -> advance(definition, run, holds ? step.then() : step.otherwise(), now, taken + 1));
            default -> {
                run.end(JourneyRun.FAILED, "unknown step type " + step.type(), now);
                yield Uni.createFrom().voidItem();
            }
        });
    }

    /** Records that the run reached the step (the journey's stats count these). */
    private static Uni<Void> entered(JourneyRun run, String stepId, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(ENTER_STEP)
                        .setParameter(1, run.id)
                        .setParameter(2, stepId)
                        .setParameter(3, run.journeyId)
                        .setParameter(4, now)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private Uni<Void> send(JourneyDefinition definition, JourneyRun run, JourneyDefinition.Step step) {
        Map<String, Object> variables = new HashMap<>(definition.variables() == null ? Map.of() : definition.variables());
        if (step.variables() != null) {
            variables.putAll(step.variables());
        }
        Purpose purpose = definition.purpose() == null ? Purpose.MARKETING
                : Purpose.parse(definition.purpose()).orElse(Purpose.MARKETING);
        Channel channel = Channels.parse(step.channel()).orElseThrow();
        Draft draft = new Draft(run.profileId, channel, purpose, step.template(), null, null, Map.of(), run.context,
                variables, "journey:" + run.id + ":" + step.id(), definition.id(), run.id, step.id(),
                definition.campaign() != null ? definition.campaign() : definition.id());
        return messages.create(draft, false)
                .invoke(outcome -> Log.debugf("journey %s run %s step %s: message %s %s", definition.id(), run.id,
                        step.id(), outcome.message().id, outcome.message().status))
                .replaceWithVoid();
    }

    private Uni<Boolean> holds(JourneyDefinition.Condition condition, UUID profileId) {
        return Contact.<Contact>findById(profileId).map(contact -> {
            if (contact == null) {
                return false;
            }
            if (condition.hasContact() != null) {
                return Channels.parse(condition.hasContact()).flatMap(contact::address).isPresent();
            }
            Object value = contact.traits.get(condition.trait());
            return condition.equals() == null ? value != null
                    : Objects.equals(String.valueOf(value), String.valueOf(condition.equals()));
        });
    }

    private static Uni<Void> waitUntil(JourneyRun run, String stepId, Instant dueAt, Instant now) {
        return JourneyTimer.at(run.id, stepId, dueAt, now).persist().replaceWithVoid();
    }
}
