package dev.omni.attribution.report;

import dev.omni.attribution.AttributionConfig;
import dev.omni.attribution.journey.QueryParameters;
import dev.omni.platform.problem.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Attribution reports; each is JSON, or CSV with {@code Accept: text/csv} or {@code format=csv}. */
@Path("/api/reports")
@Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
public class ReportResource {

    static final int DEFAULT_PATHS = 20;
    static final int MAX_PATHS = 100;

    private final ReportService reports;
    private final AttributionConfig config;

    public ReportResource(ReportService reports, AttributionConfig config) {
        this.reports = reports;
        this.config = config;
    }

    @GET
    @Path("/credit")
    @Operation(summary = "Credit per channel, campaign or source/medium for one model over a date range")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreditReport.class)),
            @Content(mediaType = Csv.MEDIA_TYPE)})
    public Uni<Response> credit(
            @Parameter(description = "first, last, last-non-direct, linear, position-based, time-decay, markov"
                    + " (default), shapley") @QueryParam("model") String model,
            @Parameter(description = "ISO date or instant; default: 30 days before to") @QueryParam("from") String from,
            @Parameter(description = "ISO date (whole day included) or instant (exclusive); default: now")
            @QueryParam("to") String to,
            @Parameter(description = "days of touches before a conversion, 1..365") @QueryParam("lookbackDays")
            String lookbackDays,
            @Parameter(description = "channel (default), campaign or source-medium") @QueryParam("dimension")
            String dimension,
            @Parameter(description = "Markov order, 1..3 (default 1)") @QueryParam("order") String order,
            @Parameter(description = "time-decay half-life in days (default 7)") @QueryParam("halfLifeDays")
            String halfLifeDays,
            @Parameter(description = "json or csv") @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        QueryParameters parameters = QueryParameters.check();
        ModelName chosen = parameters.choice("model", model, ModelName.MARKOV, ModelName::fromWire, ModelName.ALL);
        ReportRequest request = ReportRequest.parse(parameters, config, from, to, lookbackDays, dimension, order,
                halfLifeDays);
        boolean csv = csv(parameters, format, headers);
        parameters.orFail();
        return reports.credit(request, chosen).map(report -> csv
                ? download(Csv.credit(report), "credit-" + report.model() + "-" + report.dimension())
                : Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Path("/comparison")
    @Operation(summary = "Several models side by side over the same journeys")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ComparisonReport.class)),
            @Content(mediaType = Csv.MEDIA_TYPE)})
    public Uni<Response> comparison(
            @Parameter(description = "comma-separated model names; default: all") @QueryParam("models") String models,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("lookbackDays") String lookbackDays, @QueryParam("dimension") String dimension,
            @QueryParam("order") String order, @QueryParam("halfLifeDays") String halfLifeDays,
            @QueryParam("format") String format, @Context HttpHeaders headers) {
        QueryParameters parameters = QueryParameters.check();
        List<ModelName> chosen = models(parameters, models);
        ReportRequest request = ReportRequest.parse(parameters, config, from, to, lookbackDays, dimension, order,
                halfLifeDays);
        boolean csv = csv(parameters, format, headers);
        parameters.orFail();
        return reports.compare(request, chosen).map(report -> csv
                ? download(Csv.comparison(report), "comparison-" + report.dimension())
                : Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Path("/markov")
    @Operation(summary = "The fitted Markov chain: transition matrix, conversion probability, removal effects")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MarkovReport.class)),
            @Content(mediaType = Csv.MEDIA_TYPE)})
    public Uni<Response> markov(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("lookbackDays") String lookbackDays, @QueryParam("dimension") String dimension,
            @Parameter(description = "Markov order, 1..3 (default 1)") @QueryParam("order") String order,
            @Parameter(description = "json, or csv for the transitions") @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        QueryParameters parameters = QueryParameters.check();
        ReportRequest request = ReportRequest.parse(parameters, config, from, to, lookbackDays, dimension, order,
                null);
        boolean csv = csv(parameters, format, headers);
        parameters.orFail();
        return reports.markov(request).map(report -> csv
                ? download(Csv.transitions(report), "markov-order-" + report.order() + "-transitions")
                : Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Path("/paths")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The most common ordered channel paths to a conversion, with their conversions and revenue")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PathReport.class)))
    public Uni<PathReport> paths(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("lookbackDays") String lookbackDays,
            @Parameter(description = "how many paths, 1..100 (default 20)") @QueryParam("limit") String limit) {
        QueryParameters parameters = QueryParameters.check();
        ReportRequest request = ReportRequest.parse(parameters, config, from, to, lookbackDays, null, null, null);
        int top = parameters.integer("limit", limit, DEFAULT_PATHS, 1, MAX_PATHS);
        parameters.orFail();
        return reports.paths(request, top);
    }

    private static List<ModelName> models(QueryParameters parameters, String models) {
        if (models == null || models.isBlank()) {
            return List.of(ModelName.values());
        }
        List<ModelName> chosen = new ArrayList<>();
        for (String name : Arrays.stream(models.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            Optional<ModelName> model = ModelName.fromWire(name);
            if (model.isEmpty()) {
                parameters.add(Violation.query("models", "unknown model '" + name + "', one of " + ModelName.ALL));
            } else if (!chosen.contains(model.get())) {
                chosen.add(model.get());
            }
        }
        return chosen;
    }

    /** CSV when asked by {@code format=csv}, or by an Accept header preferring text/csv to JSON. */
    private static boolean csv(QueryParameters parameters, String format, HttpHeaders headers) {
        if (format != null && !format.isBlank()) {
            return parameters.choice("format", format, false, ReportResource::isCsv, "json, csv");
        }
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType()) {
                return false;
            }
            if (type.isCompatible(MediaType.valueOf(Csv.MEDIA_TYPE))) {
                return true;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    private static Response download(String csv, String name) {
        return Response.ok(csv, Csv.MEDIA_TYPE + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"")
                .build();
    }

    private static Optional<Boolean> isCsv(String format) {
        return switch (format) {
            case "csv" -> Optional.of(true);
            case "json" -> Optional.of(false);
            default -> Optional.empty();
        };
    }
}
