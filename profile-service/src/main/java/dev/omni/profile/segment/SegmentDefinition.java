package dev.omni.profile.segment;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Who belongs to a segment: conditions on traits, location and past interactions, all or any of which must hold.
 * Read and written as JSON by {@link SegmentDefinitionJson}.
 */
public record SegmentDefinition(Match match, List<Condition> conditions) {

    public enum Match {
        ALL, ANY;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Op {
        EQ, NEQ, GT, GTE, LT, LTE, EXISTS, ABSENT, IN, CONTAINS;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public sealed interface Condition permits TraitCondition, LocationCondition, InteractionCondition {
    }

    /** A trait (dotted path into nested traits) compared with a value. */
    public record TraitCondition(String trait, Op op, Object value) implements Condition {
    }

    /**
     * Where the customer is, from the traits {@code country}, {@code city}, {@code latitude} and
     * {@code longitude}: every field given must match.
     */
    public record LocationCondition(String country, String city, Near near) implements Condition {
    }

    public record Near(double latitude, double longitude, double radiusKm) {
    }

    /**
     * How many times an interaction (timeline entry name, e.g. {@code order_completed}) happened, optionally on one
     * channel and within a window ending now. {@code count lte 0} is "did not happen".
     */
    public record InteractionCondition(String event, String channel, Duration within, Count count) implements Condition {

        /** Whether the condition holds for {@code n} matching interactions. */
        boolean holds(long n) {
            return switch (count.op()) {
                case EQ -> n == count.value();
                case NEQ -> n != count.value();
                case GT -> n > count.value();
                case GTE -> n >= count.value();
                case LT -> n < count.value();
                case LTE -> n <= count.value();
                default -> throw new IllegalStateException("count op " + count.op());
            };
        }
    }

    public record Count(Op op, long value) {
    }
}
