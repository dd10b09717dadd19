package dev.omni.attribution.journey;

import dev.omni.attribution.touchpoint.TouchpointView;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** What the models share credit among: channels, campaigns, or source / medium pairs. */
public enum Dimension {

    /** The channel of the touch; a web or app visit nobody sent (no source, medium, campaign, referrer) is direct. */
    CHANNEL("channel", Constants.DIRECT) {
        @Override
        public String label(TouchpointView touch) {
            return touch.direct() ? Constants.DIRECT : touch.channel();
        }
    },
    /** The campaign of the touch; touches of no campaign are {@code (none)}, which last-non-direct skips. */
    CAMPAIGN("campaign", Constants.NONE) {
        @Override
        public String label(TouchpointView touch) {
            return touch.campaign() != null ? touch.campaign() : Constants.NONE;
        }
    },
    /** {@code source / medium} as in web analytics; a direct visit is {@code (direct) / (none)}. */
    SOURCE_MEDIUM("source-medium", "(direct) / (none)") {
        @Override
        public String label(TouchpointView touch) {
            if (touch.direct()) {
                return direct();
            }
            return (touch.source() != null ? touch.source() : touch.channel()) + " / "
                    + (touch.medium() != null ? touch.medium() : Constants.NONE);
        }
    };

    private final String wire;
    private final String direct;

    Dimension(String wire, String direct) {
        this.wire = wire;
        this.direct = direct;
    }

    public abstract String label(TouchpointView touch);

    public String wire() {
        return wire;
    }

    /** The label of touches nobody sent, which last-non-direct passes over. */
    public String direct() {
        return direct;
    }

    public Set<String> directLabels() {
        return Set.of(direct);
    }

    public static Optional<Dimension> fromWire(String wire) {
        return Arrays.stream(values()).filter(d -> d.wire.equals(wire)).findFirst();
    }

    private static final class Constants {
        static final String DIRECT = "direct";
        static final String NONE = "(none)";
    }
}
