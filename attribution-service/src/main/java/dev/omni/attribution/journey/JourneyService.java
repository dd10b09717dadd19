package dev.omni.attribution.journey;

import dev.omni.attribution.profile.ProfileDirectory;
import dev.omni.attribution.touchpoint.TouchpointStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;

/**
 * Builds journeys from what is stored when they are asked for, so a report always reflects every event consumed so
 * far, whatever order they came in, and a new lookback or model needs no rebuild.
 */
@ApplicationScoped
public class JourneyService {

    private final TouchpointStore store;
    private final ProfileDirectory directory;

    public JourneyService(TouchpointStore store, ProfileDirectory directory) {
        this.store = store;
        this.directory = directory;
    }

    /** Every profile's journeys ending in the window, and the touchpoints they were cut from. */
    public Uni<JourneySnapshot> journeys(JourneyWindow window) {
        return directory.aliases().chain(aliases -> store.touchpoints(window.earliestTouch(), window.to())
                .chain(touches -> store.conversions(window.earliestTouch(), window.to())
                        .map(conversions -> new JourneySnapshot(window, aliases,
                                JourneyBuilder.build(touches, conversions, aliases, window), touches,
                                conversions))));
    }

    /** The journeys of the profile {@code profileId} belongs to now, with everything merged into it. */
    public Uni<ProfileJourneys> journeysOf(String profileId, JourneyWindow window) {
        return directory.aliases().chain(aliases -> {
            String owner = aliases.resolve(profileId);
            Set<String> group = aliases.group(owner);
            return store.touchpoints(group, window.earliestTouch(), window.to())
                    .chain(touches -> store.conversions(group, window.earliestTouch(), window.to())
                            .map(conversions -> new ProfileJourneys(owner, List.copyOf(group),
                                    JourneyBuilder.build(touches, conversions, aliases, window))));
        });
    }


    /**
     * @param profileId the surviving profile
     * @param profileIds every id whose events are in the journeys
     */
    public record ProfileJourneys(String profileId, List<String> profileIds, List<Journey> journeys) {
    }
}
