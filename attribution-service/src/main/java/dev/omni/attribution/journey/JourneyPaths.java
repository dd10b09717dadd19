package dev.omni.attribution.journey;

import dev.omni.attribution.model.Journeys;
import dev.omni.attribution.touchpoint.TouchpointView;

import java.time.Duration;
import java.time.Instant;
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
        Journeys.Builder builder = Journeys.builder();
        // ids in label order, so equal data always gives the same ids
        TreeSet<String> labels = new TreeSet<>();
        for (Journey journey : input) {
            for (TouchpointView touch : journey.touches()) {
                labels.add(dimension.label(touch));
            }
        }
        builder.channels(List.copyOf(labels));
        long uncredited = 0;
        int[] path = new int[16];
        double[] ages = new double[16];
        for (Journey journey : input) {
            if (journey.touches().isEmpty()) {
                if (journey.converted()) {
                    uncredited++;
                }
                continue;
            }
            if (path.length < journey.touches().size()) {
                path = new int[journey.touches().size()];
                ages = new double[journey.touches().size()];
            }
            int length = 0;
            Instant previous = null;
            for (TouchpointView touch : journey.touches()) {
                int channel = builder.channel(dimension.label(touch));
                double age = Duration.between(touch.occurredAt(), journey.end()).toMillis() / 1000.0;
                boolean sameVisit = length > 0 && path[length - 1] == channel
                        && Duration.between(previous, touch.occurredAt()).compareTo(sessionGap) <= 0;
                if (sameVisit) {
                    ages[length - 1] = age;
                } else {
                    path[length] = channel;
                    ages[length] = age;
                    length++;
                }
                previous = touch.occurredAt();
            }
            double value = journey.converted() ? journey.conversion().value().doubleValue() : 0;
            builder.add(Arrays.copyOf(path, length), Arrays.copyOf(ages, length),
                    journey.converted(), value);
        }
        return new JourneyPaths(builder.build(), uncredited);
    }

    public Journeys journeys() {
        return journeys;
    }

    /** Conversions whose journey had no touch in the lookback: in no model's credit. */
    public long uncreditedConversions() {
        return uncredited;
    }
}
