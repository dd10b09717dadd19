package dev.omni.console.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.console.gateway.Gateway;
import dev.omni.console.gateway.GatewayException;
import dev.omni.console.web.Json;
import dev.omni.console.web.Staff;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Credit per channel for each model side by side (chart and table), KPI tiles, date range, lookback, CSV. */
@Path("/attribution")
@RolesAllowed({Staff.MARKETER, Staff.ADMIN})
public class AttributionPages {

    private static final int DEFAULT_DAYS = 30;
    /** Paths drawn in the Sankey (the report's most common first). */
    static final int PATHS = 20;

    @Inject
    Gateway gateway;

    @Inject
    @Location("attribution.html")
    Template page;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String report(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("lookbackDays") Integer lookbackDays) {
        Range range = Range.of(from, to, lookbackDays);
        JsonNode comparison = gateway.attributionComparison(range.fromInstant(), range.toInstant(), lookbackDays);
        JsonNode kpis = gateway.attributionKpis(range.fromInstant(), range.toInstant());
        List<String> models = new ArrayList<>();
        comparison.path("models").forEach(m -> models.add(m.asText()));
        List<String> keys = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        models.forEach(m -> series.put(m, new ArrayList<>()));
        for (JsonNode row : comparison.path("rows")) {
            keys.add(row.path("key").asText());
            for (String model : models) {
                series.get(model).add(row.path("credits").path(model).path("conversions").asDouble());
            }
        }
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("keys", keys);
        chart.put("series", series);
        // the path flow is its own report: if it fails, the rest of the page still shows, with the failure in words
        PathFlow flow = null;
        GatewayException pathsFailed = null;
        try {
            flow = PathFlow.of(gateway.attributionPaths(range.fromInstant(), range.toInstant(), lookbackDays, PATHS));
        } catch (GatewayException e) {
            pathsFailed = e;
        } catch (FaultToleranceException e) {
            pathsFailed = new GatewayException(503, "Data not available right now",
                    "The path report did not answer in time. Try again shortly.", List.of());
        }
        return page.data("range", range).data("lookbackDays", lookbackDays)
                .data("flow", flow).data("pathsFailed", pathsFailed)
                .data("flowJson", flow == null ? "{}" : Json.write(flow))
                .data("c", Json.map(comparison)).data("k", Json.map(kpis)).data("models", models)
                .data("chartJson", Json.write(chart))
                .data("noConversions", comparison.path("conversions").asDouble() == 0).render();
    }

    /** The comparison as the attribution service writes it as CSV, for a spreadsheet. */
    @GET
    @Path("/credit.csv")
    @Produces("text/csv")
    public Response csv(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("lookbackDays") Integer lookbackDays) {
        Range range = Range.of(from, to, lookbackDays);
        String csv = gateway.attributionComparisonCsv(range.fromInstant(), range.toInstant(), lookbackDays);
        return Response.ok(csv, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"attribution-" + range.from() + "-"
                        + range.to() + ".csv\"")
                .build();
    }

    /** Dates of the form; an unreadable one is refused naming the field, as the services do. */
    public record Range(LocalDate from, LocalDate to) {

        static Range of(String from, String to, Integer lookbackDays) {
            LocalDate end = parse("to", to, LocalDate.now(ZoneOffset.UTC));
            LocalDate start = parse("from", from, end.minusDays(DEFAULT_DAYS));
            if (start.isAfter(end)) {
                throw new GatewayException(400, "Bad date range", "from must not be after to",
                        List.of("from: " + start + " is after to " + end));
            }
            if (lookbackDays != null && (lookbackDays < 1 || lookbackDays > 365)) {
                throw new GatewayException(400, "Bad lookback", "the lookback is 1 to 365 days",
                        List.of("lookbackDays: " + lookbackDays));
            }
            return new Range(start, end);
        }

        private static LocalDate parse(String field, String value, LocalDate fallback) {
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                return LocalDate.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new GatewayException(400, "Bad date", "dates are written YYYY-MM-DD",
                        List.of(field + ": " + value));
            }
        }

        String fromInstant() {
            return from.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        }

        /** The whole of the last day. */
        String toInstant() {
            return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        }
    }
}
