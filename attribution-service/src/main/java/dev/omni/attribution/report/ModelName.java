package dev.omni.attribution.report;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The models a report can use, by their name in the API. */
public enum ModelName {
    FIRST("first"),
    LAST("last"),
    LAST_NON_DIRECT("last-non-direct"),
    LINEAR("linear"),
    POSITION_BASED("position-based"),
    TIME_DECAY("time-decay"),
    MARKOV("markov"),
    SHAPLEY("shapley");

    public static final String ALL = Arrays.stream(values()).map(ModelName::wire).collect(Collectors.joining(", "));

    private final String wire;

    ModelName(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<ModelName> fromWire(String wire) {
        return Arrays.stream(values()).filter(m -> m.wire.equals(wire)).findFirst();
    }
}
