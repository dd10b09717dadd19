package dev.omni.attribution.kpi;

import dev.omni.attribution.AttributionConfig;
import dev.omni.attribution.journey.QueryParameters;
import dev.omni.attribution.report.ModelName;
import dev.omni.attribution.report.ReportRequest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/kpis")
@Produces(MediaType.APPLICATION_JSON)
public class KpiResource {

    private final KpiService kpis;
    private final AttributionConfig config;

    public KpiResource(KpiService kpis, AttributionConfig config) {
        this.kpis = kpis;
        this.config = config;
    }

    @GET
    @Operation(summary = "Cross-channel conversion, visit frequency, lifetime value and ROAS over a date range")
    public Uni<KpiReport> kpis(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("lookbackDays") String lookbackDays,
            @Parameter(description = "dimension of ROAS: channel (default), campaign, source-medium")
            @QueryParam("dimension") String dimension,
            @Parameter(description = "model attributing the value for ROAS; default linear") @QueryParam("model")
            String model,
            @QueryParam("order") String order, @QueryParam("halfLifeDays") String halfLifeDays,
            @Parameter(description = "only this segment's current members") @QueryParam("segmentId") String segmentId,
            @Parameter(description = "only this profile") @QueryParam("profileId") String profileId) {
        QueryParameters parameters = QueryParameters.check();
        ModelName roasModel = parameters.choice("model", model, ModelName.LINEAR, ModelName::fromWire, ModelName.ALL);
        ReportRequest request = ReportRequest.parse(parameters, config, from, to, lookbackDays, dimension, order,
                halfLifeDays);
        parameters.orFail();
        return kpis.kpis(request, roasModel, blankToNull(segmentId), blankToNull(profileId));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
