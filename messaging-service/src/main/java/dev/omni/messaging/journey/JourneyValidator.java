package dev.omni.messaging.journey;

import dev.omni.contracts.Channel;
import dev.omni.messaging.Channels;
import dev.omni.messaging.message.Purpose;
import dev.omni.messaging.template.TemplateService;
import dev.omni.platform.problem.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a definition before it is stored: known trigger and step types, durations, channels, templates that
 * exist for their channel, references to existing steps, and no cycle (a run must end).
 */
@ApplicationScoped
public class JourneyValidator {

    private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,99}$");
    private static final Set<String> STEP_TYPES = Set.of("wait", "send", "condition", "fallback");
    private static final Set<String> UNLESS = Set.of("delivered", "read", "clicked");

    private final TemplateService templates;

    public JourneyValidator(TemplateService templates) {
        this.templates = templates;
    }

    public Uni<List<Violation>> validate(JourneyDefinition journey) {
        List<Violation> violations = new ArrayList<>();
        if (journey == null) {
            return Uni.createFrom().item(List.of(Violation.body("body", "a journey definition is required")));
        }
        if (journey.id() == null || !ID.matcher(journey.id()).matches()) {
            violations.add(Violation.body("id", "lower-case letters, digits and dashes, at most 100"));
        }
        if (journey.name() == null || journey.name().isBlank()) {
            violations.add(Violation.body("name", "required"));
        }
        if (journey.purpose() != null && Purpose.parse(journey.purpose()).isEmpty()) {
            violations.add(Violation.body("purpose", "marketing or transactional"));
        }
        trigger(journey.trigger(), violations);
        if (journey.exitWhen() != null) {
            for (int i = 0; i < journey.exitWhen().size(); i++) {
                JourneyDefinition.ExitSpec exit = journey.exitWhen().get(i);
                if (exit == null || exit.event() == null || exit.event().isBlank()) {
                    violations.add(Violation.body("exitWhen[" + i + "].event", "an interaction event name"));
                }
            }
        }
        List<TemplateUse> uses = new ArrayList<>();
        if (journey.steps() == null || journey.steps().isEmpty()) {
            violations.add(Violation.body("steps", "at least one step"));
        } else {
            steps(journey, violations, uses);
        }
        Uni<Void> checks = Uni.createFrom().voidItem();
        for (TemplateUse use : uses) {
            checks = checks.chain(() -> templates.exists(use.template, use.channel).invoke(exists -> {
                if (!exists) {
                    violations.add(Violation.body(use.field, "no template '" + use.template + "' for "
                            + use.channel.wire()));
                }
            })).replaceWithVoid();
        }
        return checks.replaceWith(violations);
    }

    private record TemplateUse(String field, String template, Channel channel) {
    }

    private static void trigger(JourneyDefinition.TriggerSpec trigger, List<Violation> violations) {
        if (trigger == null || trigger.type() == null || !Trigger.TYPES.contains(trigger.type())) {
            violations.add(Violation.body("trigger.type", "one of " + String.join(", ", new TreeSet<>(Trigger.TYPES))));
            return;
        }
        if (Trigger.INTERACTION.equals(trigger.type()) && (trigger.event() == null || trigger.event().isBlank())) {
            violations.add(Violation.body("trigger.event", "the interaction event name that starts the journey"));
        }
        if (Trigger.SEGMENT_ENTERED.equals(trigger.type()) && (trigger.segment() == null || trigger.segment().isBlank())) {
            violations.add(Violation.body("trigger.segment", "the segment id or name"));
        }
    }

    private static void steps(JourneyDefinition journey, List<Violation> violations, List<TemplateUse> uses) {
        Map<String, Integer> index = new HashMap<>();
        List<JourneyDefinition.Step> steps = journey.steps();
        for (int i = 0; i < steps.size(); i++) {
            JourneyDefinition.Step step = steps.get(i);
            String at = "steps[" + i + "]";
            if (step == null || step.id() == null || step.id().isBlank()) {
                violations.add(Violation.body(at + ".id", "required"));
                continue;
            }
            if (index.putIfAbsent(step.id(), i) != null) {
                violations.add(Violation.body(at + ".id", "duplicate step id '" + step.id() + "'"));
            }
        }
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            JourneyDefinition.Step step = steps.get(i);
            if (step == null || step.id() == null) {
                continue;
            }
            String at = "steps[" + i + "]";
            List<String> successors = new ArrayList<>();
            edges.put(step.id(), successors);
            if (step.type() == null || !STEP_TYPES.contains(step.type())) {
                violations.add(Violation.body(at + ".type", "wait, send, condition or fallback"));
                continue;
            }
            switch (step.type()) {
                case "wait" -> duration(step.duration(), at + ".duration", violations);
                case "send" -> {
                    Channel channel = Channels.parse(step.channel()).orElse(null);
                    if (channel == null) {
                        violations.add(Violation.body(at + ".channel", "unknown channel '" + step.channel()
                                + "' (email, sms, push or chat)"));
                    } else if (step.template() == null || step.template().isBlank()) {
                        violations.add(Violation.body(at + ".template", "required"));
                    } else {
                        uses.add(new TemplateUse(at + ".template", step.template(), channel));
                    }
                }
                case "condition" -> {
                    JourneyDefinition.Condition condition = step.condition();
                    if (condition == null || (condition.hasContact() == null) == (condition.trait() == null)) {
                        violations.add(Violation.body(at + ".if", "either hasContact (a channel) or trait (with equals)"));
                    } else if (condition.hasContact() != null && Channels.parse(condition.hasContact()).isEmpty()) {
                        violations.add(Violation.body(at + ".if.hasContact", "unknown channel '" + condition.hasContact() + "'"));
                    }
                    if (step.then() == null) {
                        violations.add(Violation.body(at + ".then", "required"));
                    }
                }
                case "fallback" -> {
                    duration(step.after(), at + ".after", violations);
                    Integer watched = step.of() == null ? null : index.get(step.of());
                    if (watched == null || !"send".equals(steps.get(watched).type())) {
                        violations.add(Violation.body(at + ".of", "the id of the send step whose message it watches"));
                    }
                    if (step.unless() == null || !UNLESS.contains(step.unless())) {
                        violations.add(Violation.body(at + ".unless", "delivered, read or clicked"));
                    }
                    if (step.then() == null) {
                        violations.add(Violation.body(at + ".then", "the step to fall back to"));
                    }
                }
                default -> throw new IllegalStateException(step.type());
            }
            reference(step.next(), at + ".next", index, successors, violations);
            reference(step.then(), at + ".then", index, successors, violations);
            reference(step.otherwise(), at + ".else", index, successors, violations);
        }
        if (journey.start() != null && !index.containsKey(journey.start())) {
            violations.add(Violation.body("start", "no step '" + journey.start() + "'"));
        }
        String cycle = cycle(edges);
        if (cycle != null) {
            violations.add(Violation.body("steps", "cycle " + cycle + ": a run must end"));
        }
    }

    private static void reference(String target, String field, Map<String, Integer> index, List<String> successors,
            List<Violation> violations) {
        if (target == null) {
            return;
        }
        if (!index.containsKey(target)) {
            violations.add(Violation.body(field, "no step '" + target + "'"));
        } else {
            successors.add(target);
        }
    }

    private static void duration(String value, String field, List<Violation> violations) {
        try {
            if (value == null || Duration.parse(value).isNegative() || Duration.parse(value).isZero()) {
                violations.add(Violation.body(field, "a positive ISO-8601 duration such as PT30M or P1D"));
            }
        } catch (DateTimeParseException e) {
            violations.add(Violation.body(field, "a positive ISO-8601 duration such as PT30M or P1D"));
        }
    }

    /** The first cycle found, as {@code a → b → a}, or null. */
    private static String cycle(Map<String, List<String>> edges) {
        Set<String> done = new HashSet<>();
        for (String start : edges.keySet()) {
            List<String> path = new ArrayList<>();
            String found = visit(start, edges, done, path, new HashSet<>());
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String visit(String node, Map<String, List<String>> edges, Set<String> done, List<String> path,
            Set<String> onPath) {
        if (onPath.contains(node)) {
            List<String> loop = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            loop.add(node);
            return String.join(" → ", loop);
        }
        if (!done.add(node)) {
            return null;
        }
        path.add(node);
        onPath.add(node);
        for (String next : edges.getOrDefault(node, List.of())) {
            String found = visit(next, edges, done, path, onPath);
            if (found != null) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        onPath.remove(node);
        return null;
    }
}
