package dev.omni.messaging.journey;

import dev.omni.messaging.message.MessageStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A journey's stats from its durable records: one aggregate query each over runs, step entries, messages and the
 * messages' guard outcomes, however many runs there are. Call inside a session.
 */
@ApplicationScoped
public class JourneyStatistics {

    private static final String RUNS = "SELECT status, count(*) FROM journey_run WHERE journey_id = ?1 GROUP BY status";
    private static final String ENTRIES = """
            SELECT step_id, count(*) FROM journey_step_entry WHERE journey_id = ?1 GROUP BY step_id""";
    private static final String MESSAGES = """
            SELECT step_id, count(sent_at), count(delivered_at), count(opened_at), count(clicked_at)
            FROM message WHERE journey_id = ?1 GROUP BY step_id""";
    private static final String STOPPED = """
            SELECT step_id, reason, count(*) FROM message
            WHERE journey_id = ?1 AND reason IS NOT NULL AND (status = ?2 OR status = ?3)
            GROUP BY step_id, reason""";

    private final JourneyService journeys;

    public JourneyStatistics(JourneyService journeys) {
        this.journeys = journeys;
    }

    /** 404 problem for an unknown journey. */
    public Uni<JourneyStats> of(String journeyId) {
        return journeys.find(journeyId).chain(journey -> rows(RUNS, journeyId)
                .chain(runs -> rows(ENTRIES, journeyId)
                        .chain(entries -> rows(MESSAGES, journeyId)
                                .chain(messages -> rows(STOPPED, journeyId, MessageStatus.SUPPRESSED.name(),
                                                MessageStatus.HELD.name())
                                        .map(stopped -> stats(journey, runs, entries, messages, stopped))))));
    }

    private static JourneyStats stats(Journey journey, List<Object[]> runs, List<Object[]> entries,
            List<Object[]> messages, List<Object[]> stopped) {
        Map<String, Long> runsByStatus = new HashMap<>();
        runs.forEach(row -> runsByStatus.put((String) row[0], count(row[1])));
        Map<String, Long> enteredByStep = new HashMap<>();
        entries.forEach(row -> enteredByStep.put((String) row[0], count(row[1])));
        Map<String, Object[]> messagesByStep = new HashMap<>();
        messages.stream().filter(row -> row[0] != null).forEach(row -> messagesByStep.put((String) row[0], row));
        Map<String, Map<String, Long>> stoppedByStep = new HashMap<>();
        stopped.stream().filter(row -> row[0] != null).forEach(row -> stoppedByStep
                .computeIfAbsent((String) row[0], step -> new TreeMap<>()).put((String) row[1], count(row[2])));

        List<JourneyStats.Step> steps = new ArrayList<>();
        for (JourneyDefinition.Step step : journey.parsed().steps()) {
            Object[] sent = messagesByStep.get(step.id());
            steps.add(new JourneyStats.Step(step.id(), step.type(), "send".equals(step.type()) ? step.channel() : null,
                    enteredByStep.getOrDefault(step.id(), 0L),
                    sent == null ? 0 : count(sent[1]), sent == null ? 0 : count(sent[2]),
                    sent == null ? 0 : count(sent[3]), sent == null ? 0 : count(sent[4]),
                    stoppedByStep.getOrDefault(step.id(), Map.of())));
        }
        long entered = runsByStatus.values().stream().mapToLong(Long::longValue).sum();
        return new JourneyStats(journey.id, journey.active, entered,
                runsByStatus.getOrDefault(JourneyRun.COMPLETED, 0L),
                runsByStatus.getOrDefault(JourneyRun.EXITED, 0L) + runsByStatus.getOrDefault(JourneyRun.STOPPED, 0L),
                steps);
    }

    private static Uni<List<Object[]>> rows(String sql, Object... parameters) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return query.getResultList();
        }).map(rows -> rows.stream().map(row -> (Object[]) row).toList());
    }

    private static long count(Object value) {
        return ((Number) value).longValue();
    }
}
