package dev.omni.attribution.journey;

import dev.omni.attribution.profile.AliasMap;
import dev.omni.attribution.touchpoint.ConversionView;
import dev.omni.attribution.touchpoint.TouchpointView;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Journeys of a window with the rows they came from (touchpoints and conversions from the lookback before the
 * window to its end), so KPIs can count visits and spend beside the journeys.
 */
public record JourneySnapshot(JourneyWindow window, AliasMap aliases, List<Journey> journeys,
        List<TouchpointView> touchpoints, List<ConversionView> conversions) {

    /** Only what belongs to the given surviving profiles. */
    public JourneySnapshot restrictedTo(Set<String> profiles) {
        Predicate<String> member = id -> profiles.contains(aliases.resolve(id));
        return new JourneySnapshot(window, aliases,
                journeys.stream().filter(j -> profiles.contains(j.profileId())).toList(),
                touchpoints.stream().filter(t -> member.test(t.profileId())).toList(),
                conversions.stream().filter(c -> member.test(c.profileId())).toList());
    }

    /** Touchpoints inside the window itself (not the lookback before it). */
    public List<TouchpointView> touchpointsInWindow() {
        return touchpoints.stream().filter(t -> window.ends(t.occurredAt())).toList();
    }

    /** Conversions inside the window itself. */
    public List<ConversionView> conversionsInWindow() {
        return conversions.stream().filter(c -> window.ends(c.occurredAt())).toList();
    }
}
