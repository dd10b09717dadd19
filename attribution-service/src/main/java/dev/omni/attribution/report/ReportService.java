package dev.omni.attribution.report;

import dev.omni.attribution.AttributionConfig;
import dev.omni.attribution.journey.Dimension;
import dev.omni.attribution.journey.Journey;
import dev.omni.attribution.journey.JourneyMaterializer;
import dev.omni.attribution.journey.JourneyPaths;
import dev.omni.attribution.journey.JourneyService;
import dev.omni.attribution.journey.JourneySnapshot;
import dev.omni.attribution.model.Attribution;
import dev.omni.attribution.model.MarkovModel;
import dev.omni.attribution.touchpoint.TouchpointStore;
import dev.omni.attribution.touchpoint.TouchpointView;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attribution reports, computed on every request from the journeys of the window: those kept up to date as events
 * arrive ({@link JourneyMaterializer}) when they can serve it, else journeys recomputed from the stored rows. A
 * change of model, window or parameters is simply another request, and every event consumed so far is in the next
 * report. The models run on a worker thread, off the event loop.
 */
@ApplicationScoped
public class ReportService {

    private final JourneyService journeys;
    private final JourneyMaterializer materializer;
    private final TouchpointStore store;
    private final AttributionConfig config;

    public ReportService(JourneyService journeys, JourneyMaterializer materializer, TouchpointStore store,
            AttributionConfig config) {
        this.journeys = journeys;
        this.materializer = materializer;
        this.store = store;
        this.config = config;
    }

    public Uni<CreditReport> credit(ReportRequest request, ModelName model) {
        return input(request).map(input -> credit(request, model, input.paths(), input.costs()));
    }

    public Uni<ComparisonReport> compare(ReportRequest request, List<ModelName> models) {
        return input(request).map(input -> {
            JourneyPaths paths = input.paths();
            Map<String, Map<String, ComparisonReport.Share>> byKey = new LinkedHashMap<>();
            paths.journeys().channels().forEach(key -> byKey.put(key, new LinkedHashMap<>()));
            Map<String, String> methods = new LinkedHashMap<>();
            for (ModelName model : models) {
                Attribution attribution = request.settings().create(model, request.dimension())
                        .attribute(paths.journeys());
                methods.put(model.wire(), attribution.method());
                for (int c = 0; c < attribution.channels().size(); c++) {
                    byKey.get(attribution.channels().get(c)).put(model.wire(), new ComparisonReport.Share(
                            round(attribution.conversions(c)), round(attribution.value(c))));
                }
            }
            List<ComparisonReport.Row> rows = new ArrayList<>();
            byKey.forEach((key, credits) -> rows.add(new ComparisonReport.Row(key, credits)));
            return new ComparisonReport(request.dimension().wire(), request.window().from(), request.window().to(),
                    request.lookbackDays(), models.stream().map(ModelName::wire).toList(), methods,
                    paths.journeys().size(), paths.journeys().totalConversions() + paths.uncreditedConversions(),
                    round(paths.journeys().totalValue()), rows);
        });
    }

    public Uni<MarkovReport> markov(ReportRequest request) {
        return input(request).map(input -> {
            JourneyPaths paths = input.paths();
            MarkovModel.Result result = new MarkovModel(request.settings().order()).analyse(paths.journeys());
            Map<String, Map<String, Double>> matrix = new LinkedHashMap<>();
            result.states().forEach(state -> matrix.put(state, new LinkedHashMap<>()));
            result.transitions().forEach(t -> matrix.get(t.from()).put(t.to(), round(t.probability())));
            List<MarkovReport.RemovalEffect> effects = new ArrayList<>();
            for (int c = 0; c < result.channels().size(); c++) {
                effects.add(new MarkovReport.RemovalEffect(result.channels().get(c),
                        round(result.removalEffects()[c]), round(result.valueRemovalEffects()[c])));
            }
            effects.sort(Comparator.comparingDouble(MarkovReport.RemovalEffect::conversions).reversed()
                    .thenComparing(MarkovReport.RemovalEffect::key));
            return new MarkovReport(result.order(), request.dimension().wire(), request.window().from(),
                    request.window().to(), request.lookbackDays(), paths.journeys().size(),
                    paths.journeys().totalConversions(), round(paths.journeys().totalValue()),
                    round(result.conversionProbability()), round(result.valuePerJourney()), result.solver(),
                    result.states(), result.transitions(), matrix, effects,
                    credits(result.attribution(), input.costs()));
        });
    }

    /**
     * The {@code limit} most common channel paths to a conversion in the window, from the same journeys the models
     * read (session-merged touches, by channel).
     */
    public Uni<PathReport> paths(ReportRequest request, int limit) {
        return input(request).map(input -> {
            JourneyPaths paths = input.paths();
            return new PathReport(request.window().from(), request.window().to(), request.lookbackDays(),
                    (long) paths.journeys().totalConversions() + paths.uncreditedConversions(),
                    TopPaths.of(paths.journeys(), limit));
        });
    }

    /** The credit a model gives over an already loaded snapshot (KPIs reuse it for ROAS). */
    public CreditReport credit(ReportRequest request, ModelName model, JourneySnapshot snapshot) {
        return credit(request, model, paths(request, snapshot.journeys()), costs(snapshot, request.dimension()));
    }

    private CreditReport credit(ReportRequest request, ModelName model, JourneyPaths paths,
            Map<String, BigDecimal> costs) {
        Attribution attribution = request.settings().create(model, request.dimension()).attribute(paths.journeys());
        return new CreditReport(model.wire(), attribution.method(), request.settings().describe(model),
                request.dimension().wire(), request.window().from(), request.window().to(), request.lookbackDays(),
                paths.journeys().size(), (int) paths.journeys().totalConversions(),
                paths.journeys().totalConversions() + paths.uncreditedConversions(),
                round(paths.journeys().totalValue()), paths.uncreditedConversions(),
                credits(attribution, costs));
    }

    /**
     * What a report works on: the journeys of its window, labelled, and the cost per label. Read from the
     * incrementally maintained journeys when they can serve the window ({@link JourneyMaterializer#paths}),
     * otherwise recomputed from the touchpoints and conversions.
     *
     * @param incremental whether the journeys came from the maintained table
     */
    public record Input(JourneyPaths paths, Map<String, BigDecimal> costs, boolean incremental) {
    }

    public Uni<Input> input(ReportRequest request) {
        return materializer.paths(request.window(), request.dimension()).chain(stored -> {
            if (stored.isPresent()) {
                return store.costs(request.window().from(), request.window().to())
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .map(costs -> new Input(stored.get(), costs(costs, request.dimension()), true));
            }
            return snapshot(request).map(snapshot -> new Input(paths(request, snapshot.journeys()),
                    costs(snapshot, request.dimension()), false));
        });
    }

    /** The journeys of the request's window, handed over on a worker thread. */
    public Uni<JourneySnapshot> snapshot(ReportRequest request) {
        return journeys.journeys(request.window()).emitOn(Infrastructure.getDefaultWorkerPool());
    }

    private JourneyPaths paths(ReportRequest request, List<Journey> input) {
        return JourneyPaths.of(input, request.dimension(), config.sessionGap());
    }

    private static Map<String, BigDecimal> costs(JourneySnapshot snapshot, Dimension dimension) {
        return costs(snapshot.touchpointsInWindow(), dimension);
    }

    private static Map<String, BigDecimal> costs(List<TouchpointView> touches, Dimension dimension) {
        Map<String, BigDecimal> costs = new HashMap<>();
        for (TouchpointView touch : touches) {
            if (touch.cost() != null) {
                costs.merge(dimension.label(touch), touch.cost(), BigDecimal::add);
            }
        }
        return costs;
    }

    private static List<Credit> credits(Attribution attribution, Map<String, BigDecimal> costs) {
        double credited = 0;
        for (double conversions : attribution.conversions()) {
            credited += conversions;
        }
        List<Credit> credits = new ArrayList<>();
        for (int c = 0; c < attribution.channels().size(); c++) {
            String key = attribution.channels().get(c);
            BigDecimal cost = costs.get(key);
            Double roas = cost == null || cost.signum() == 0 ? null : round(attribution.value(c) / cost.doubleValue());
            credits.add(new Credit(key, round(attribution.conversions(c)), round(attribution.value(c)),
                    credited > 0 ? round(attribution.conversions(c) / credited) : 0, cost, roas));
        }
        credits.sort(Comparator.comparingDouble(Credit::conversions).reversed().thenComparing(Credit::key));
        return credits;
    }

    /** Six decimals: enough for any share, and no 2.4000000000000004 in the API. */
    static double round(double value) {
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
    }
}
