package dev.omni.attribution.journey;

import dev.omni.attribution.model.Journeys;
import dev.omni.attribution.touchpoint.TouchpointView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns journeys into the models' input: each touch labelled by the dimension, and consecutive touches with the
 * same label less than the session gap apart merged into one (ten page views of one visit are one touch, not ten).
 * Converting journeys without any touch cannot be credited and are counted apart.
 */
public final class JourneyPaths {

    private final Journeys journeys;
    private final long uncredited;

    private JourneyPaths(Journeys journeys, long uncredited) {
        this.journeys = journeys;
        this.uncredited = uncredited;
    }

    public static JourneyPaths of(List<Journey> input, Dimension dimension, Duration sessionGap) {
        List<Path> paths = new ArrayList<>(input.size());
        for (Journey journey : input) {
            paths.add(path(journey, dimension, sessionGap));
        }
        return of(paths);
    }

    /**
     * One journey as the models see it: its touches labelled by the dimension, consecutive same-label touches less
     * than the session gap apart merged (the merged touch keeps the age of the latest), ages in seconds to the end.
     */
    public static Path path(Journey journey, Dimension dimension, Duration sessionGap) {
        List<String> labels = new ArrayList<>(journey.touches().size());
        double[] ages = new double[journey.touches().size()];
        Instant previous = null;
        for (TouchpointView touch : journey.touches()) {
            String label = dimension.label(touch);
            double age = Duration.between(touch.occurredAt(), journey.end()).toMillis() / 1000.0;
            int length = labels.size();
            boolean sameVisit = length > 0 && labels.get(length - 1).equals(label)
                    && Duration.between(previous, touch.occurredAt()).compareTo(sessionGap) <= 0;
            if (sameVisit) {
                ages[length - 1] = age;
            } else {
                labels.add(label);
                ages[length] = age;
            }
            previous = touch.occurredAt();
        }
        double value = journey.converted() ? journey.conversion().value().doubleValue() : 0;
        return new Path(List.copyOf(labels), Arrays.copyOf(ages, labels.size()), journey.converted(), value);
    }

    /** Journeys already labelled, e.g. read back from the incrementally maintained {@code journey_path} table. */
    public static JourneyPaths of(List<Path> input) {
        Journeys.Builder builder = Journeys.builder();
        // ids in label order, so equal data always gives the same ids
        TreeSet<String> labels = new TreeSet<>();
        for (Path path : input) {
            labels.addAll(path.labels());
        }
        builder.channels(List.copyOf(labels));
        long uncredited = 0;
        for (Path path : input) {
            if (path.labels().isEmpty()) {
                if (path.converted()) {
                    uncredited++;
                }
                continue;
            }
            int[] ids = new int[path.labels().size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = builder.channel(path.labels().get(i));
            }
            builder.add(ids, path.ages(), path.converted(), path.value());
        }
        return new JourneyPaths(builder.build(), uncredited);
    }

    /**
     * A labelled journey.
     *
     * @param labels    one per touch after session merging, oldest first; empty for a conversion without touches
     * @param ages      seconds from each touch to the journey's end
     * @param converted whether it ended in a conversion
     * @param value     the conversion's value, 0 otherwise
     */
    public record Path(List<String> labels, double[] ages, boolean converted, double value) {
    }

    public Journeys journeys() {
        return journeys;
    }

    /** Conversions whose journey had no touch in the lookback: in no model's credit. */
    public long uncreditedConversions() {
        return uncredited;
    }
}
