package dev.omni.attribution.journey;

import dev.omni.attribution.AttributionConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Instant;

@Path("/api/journeys")
@Produces(MediaType.APPLICATION_JSON)
public class JourneyResource {

    private final JourneyService journeys;
    private final AttributionConfig config;

    public JourneyResource(JourneyService journeys, AttributionConfig config) {
        this.journeys = journeys;
        this.config = config;
    }

    @GET
    @Operation(summary = "The journeys of a profile (merged profiles included) ending in a date range")
    public Uni<JourneyService.ProfileJourneys> ofProfile(
            @Parameter(description = "profile id", required = true) @QueryParam("profileId") String profileId,
            @Parameter(description = "ISO date or instant; default: 30 days before to") @QueryParam("from") String from,
            @Parameter(description = "ISO date (inclusive) or instant (exclusive); default: now") @QueryParam("to") String to,
            @Parameter(description = "days of touches before a conversion; default 30") @QueryParam("lookbackDays") String lookbackDays) {
        QueryParameters parameters = QueryParameters.check();
        parameters.required("profileId", profileId);
        JourneyWindow window = parameters.window(from, to, lookbackDays, config.lookback(), Instant.now());
        parameters.orFail();
        return journeys.journeysOf(profileId.trim(), window);
    }
}
