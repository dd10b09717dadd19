package dev.omni.attribution.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Journeys in columnar arrays, the input of every model: journey {@code j} is the touches
 * {@code start(j) .. end(j) - 1}, each a channel id (an index into {@link #channels()}) and an age, the seconds
 * between the touch and the end of the journey (its conversion, or its last touch when it did not convert).
 * Immutable once built; millions of journeys cost a few arrays, not millions of objects.
 */
public final class Journeys {

    private final List<String> channels;
    private final int[] offsets;
    private final int[] touches;
    private final double[] ages;
    private final boolean[] converted;
    private final double[] values;
    private final double totalConversions;
    private final double totalValue;

    private Journeys(List<String> channels, int[] offsets, int[] touches, double[] ages, boolean[] converted,
            double[] values) {
        this.channels = channels;
        this.offsets = offsets;
        this.touches = touches;
        this.ages = ages;
        this.converted = converted;
        this.values = values;
        double conversions = 0;
        double value = 0;
        for (int j = 0; j < converted.length; j++) {
            if (converted[j]) {
                conversions++;
                value += values[j];
            }
        }
        this.totalConversions = conversions;
        this.totalValue = value;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> channels() {
        return channels;
    }

    public int channelCount() {
        return channels.size();
    }

    public int size() {
        return converted.length;
    }

    public int start(int journey) {
        return offsets[journey];
    }

    public int end(int journey) {
        return offsets[journey + 1];
    }

    public int length(int journey) {
        return offsets[journey + 1] - offsets[journey];
    }

    public int touch(int index) {
        return touches[index];
    }

    public double age(int index) {
        return ages[index];
    }

    public boolean converted(int journey) {
        return converted[journey];
    }

    /** The conversion value; 0 for a journey that did not convert. */
    public double value(int journey) {
        return values[journey];
    }

    public int touchCount() {
        return offsets[converted.length];
    }

    public double totalConversions() {
        return totalConversions;
    }

    public double totalValue() {
        return totalValue;
    }

    /** Collects journeys; channel ids are given in order of first appearance. */
    public static final class Builder {

        private final List<String> channels = new ArrayList<>();
        private final Map<String, Integer> ids = new HashMap<>();
        private int[] offsets = new int[1024];
        private int[] touches = new int[4096];
        private double[] ages = new double[4096];
        private boolean[] converted = new boolean[1024];
        private double[] values = new double[1024];
        private int size;
        private int touchCount;

        private Builder() {
        }

        /** The id of a channel label, registering it on first use. */
        public int channel(String label) {
            Integer id = ids.get(label);
            if (id == null) {
                id = channels.size();
                channels.add(label);
                ids.put(label, id);
            }
            return id;
        }

        /** Registers labels up front so ids follow their order (and channels that never occur still show). */
        public Builder channels(List<String> labels) {
            labels.forEach(this::channel);
            return this;
        }

        /** A journey of labelled touches without ages (all touches at the end of the journey). */
        public Builder add(List<String> path, boolean converted, double value) {
            int[] ids = new int[path.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = channel(path.get(i));
            }
            return add(ids, new double[ids.length], converted, value);
        }

        /**
         * @param path      channel ids, oldest touch first; at least one
         * @param ages      seconds from each touch to the end of the journey, each ≥ 0
         * @param converted whether the journey ended in a conversion
         * @param value     the conversion's value (ignored when not converted), ≥ 0
         */
        public Builder add(int[] path, double[] ages, boolean converted, double value) {
            if (path.length == 0) {
                throw new IllegalArgumentException("a journey has at least one touch");
            }
            if (ages.length != path.length) {
                throw new IllegalArgumentException("one age per touch");
            }
            if (converted && !(value >= 0)) {
                throw new IllegalArgumentException("a conversion value is ≥ 0, not " + value);
            }
            for (int i = 0; i < path.length; i++) {
                if (path[i] < 0 || path[i] >= channels.size()) {
                    throw new IllegalArgumentException("unknown channel id " + path[i]);
                }
                if (!(ages[i] >= 0)) {
                    throw new IllegalArgumentException("an age is ≥ 0, not " + ages[i]);
                }
            }
            ensureJourneys(size + 1);
            ensureTouches(touchCount + path.length);
            System.arraycopy(path, 0, touches, touchCount, path.length);
            System.arraycopy(ages, 0, this.ages, touchCount, path.length);
            touchCount += path.length;
            this.converted[size] = converted;
            this.values[size] = converted ? value : 0;
            size++;
            offsets[size] = touchCount;
            return this;
        }

        public Journeys build() {
            return new Journeys(Collections.unmodifiableList(new ArrayList<>(channels)),
                    Arrays.copyOf(offsets, size + 1), Arrays.copyOf(touches, touchCount),
                    Arrays.copyOf(ages, touchCount), Arrays.copyOf(converted, size), Arrays.copyOf(values, size));
        }

        private void ensureJourneys(int needed) {
            if (needed + 1 > offsets.length) {
                int capacity = Math.max(needed + 1, offsets.length * 2);
                offsets = Arrays.copyOf(offsets, capacity);
                converted = Arrays.copyOf(converted, capacity);
                values = Arrays.copyOf(values, capacity);
            }
        }

        private void ensureTouches(int needed) {
            if (needed > touches.length) {
                int capacity = Math.max(needed, touches.length * 2);
                touches = Arrays.copyOf(touches, capacity);
                ages = Arrays.copyOf(ages, capacity);
            }
        }
    }
}
