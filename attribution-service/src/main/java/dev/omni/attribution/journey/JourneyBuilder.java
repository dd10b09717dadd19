package dev.omni.attribution.journey;

import dev.omni.attribution.profile.AliasMap;
import dev.omni.attribution.touchpoint.ConversionView;
import dev.omni.attribution.touchpoint.TouchpointView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts each profile's touchpoints into journeys. Per profile (ids merged into it included), in time order:
 * <ul>
 *   <li>a conversion in the window owns the touches after the profile's previous conversion, up to and including its
 *   own time, that lie within the lookback before it;</li>
 *   <li>the touches after the profile's last conversion form a journey that did not convert, when its last touch
 *   lies in the window — trimmed to the lookback before that last touch.</li>
 * </ul>
 * The result depends only on the rows, never on the order they arrived or were read in: ties in time are broken by
 * event id.
 */
public final class JourneyBuilder {

    private static final Comparator<TouchpointView> TOUCH_ORDER =
            Comparator.comparing(TouchpointView::occurredAt).thenComparing(TouchpointView::id);
    private static final Comparator<ConversionView> CONVERSION_ORDER =
            Comparator.comparing(ConversionView::occurredAt).thenComparing(ConversionView::id);

    private JourneyBuilder() {
    }

    /**
     * @param touches     every touchpoint from {@link JourneyWindow#earliestTouch()} to the window's end
     * @param conversions every conversion in the same span
     * @return journeys ordered by end, then profile
     */
    public static List<Journey> build(List<TouchpointView> touches, List<ConversionView> conversions,
            AliasMap aliases, JourneyWindow window) {
        Map<String, List<TouchpointView>> touchesByProfile = new HashMap<>();
        for (TouchpointView touch : touches) {
            touchesByProfile.computeIfAbsent(aliases.resolve(touch.profileId()), p -> new ArrayList<>()).add(touch);
        }
        Map<String, List<ConversionView>> conversionsByProfile = new HashMap<>();
        for (ConversionView conversion : conversions) {
            conversionsByProfile.computeIfAbsent(aliases.resolve(conversion.profileId()), p -> new ArrayList<>())
                    .add(conversion);
        }
        List<Journey> journeys = new ArrayList<>();
        for (Map.Entry<String, List<TouchpointView>> entry : touchesByProfile.entrySet()) {
            journeysOf(entry.getKey(), entry.getValue(), conversionsByProfile.remove(entry.getKey()), window,
                    journeys);
        }
        // conversions of profiles without a single touch in the span
        conversionsByProfile.forEach((profile, own) -> journeysOf(profile, new ArrayList<>(), own, window, journeys));
        journeys.sort(Comparator.comparing(Journey::end).thenComparing(Journey::profileId)
                .thenComparing(j -> j.converted() ? j.conversion().id().toString() : ""));
        return journeys;
    }

    private static void journeysOf(String profile, List<TouchpointView> touches, List<ConversionView> conversions,
            JourneyWindow window, List<Journey> journeys) {
        touches.sort(TOUCH_ORDER);
        List<ConversionView> ordered = conversions == null ? List.of() : new ArrayList<>(conversions);
        if (conversions != null) {
            ordered.sort(CONVERSION_ORDER);
        }
        int next = 0;
        for (ConversionView conversion : ordered) {
            Instant at = conversion.occurredAt();
            int first = next;
            while (next < touches.size() && !touches.get(next).occurredAt().isAfter(at)) {
                next++;
            }
            if (window.ends(at)) {
                Instant earliest = at.minus(window.lookback());
                List<TouchpointView> own = new ArrayList<>();
                for (int i = first; i < next; i++) {
                    if (!touches.get(i).occurredAt().isBefore(earliest)) {
                        own.add(touches.get(i));
                    }
                }
                journeys.add(new Journey(profile, conversion, List.copyOf(own), at));
            }
        }
        if (next < touches.size()) {
            Instant last = touches.get(touches.size() - 1).occurredAt();
            if (window.ends(last)) {
                Instant earliest = last.minus(window.lookback());
                List<TouchpointView> tail = new ArrayList<>();
                for (int i = next; i < touches.size(); i++) {
                    if (!touches.get(i).occurredAt().isBefore(earliest)) {
                        tail.add(touches.get(i));
                    }
                }
                journeys.add(new Journey(profile, null, List.copyOf(tail), last));
            }
        }
    }
}
