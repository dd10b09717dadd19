package dev.omni.console.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.function.Function;

/**
 * The console's only way to data: the gateway's public API with the console's service token. Reads are retried when
 * the gateway is unreachable or says its upstream is; writes never are. One breaker per method keeps a page fast
 * while a service is down.
 */
@ApplicationScoped
public class Gateway {

    static final String MODELS = "first,last,linear,position-based,time-decay,markov";

    private final GatewayApi api;
    private final ServiceToken token;

    Gateway(@RestClient GatewayApi api, ServiceToken token) {
        this.api = api;
        this.token = token;
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode findProfile(String identifierType, String identifier) {
        return call(bearer -> api.findProfile(bearer, identifierType, identifier));
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode profile(String id) {
        return call(bearer -> api.profile(bearer, id));
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode merges(String id) {
        return call(bearer -> api.merges(bearer, id));
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode consents(String id) {
        return call(bearer -> api.consents(bearer, id));
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode loyalty(String id) {
        return call(bearer -> api.loyalty(bearer, id));
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode timeline(String id, int limit) {
        return call(bearer -> api.timeline(bearer, id, limit));
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode reservations(String profileId) {
        return call(bearer -> api.reservations(bearer, profileId));
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode segments() {
        return call(api::segments);
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode reservationsAtRisk(int limit) {
        return call(bearer -> api.reservationsByStatus(bearer, "at_risk", limit));
    }

    /** Nothing is saved: the member count the definition would have now. Safe to repeat, so retried. */
    @Timeout(15000)
    @Retry(maxRetries = 1, delay = 200, retryOn = GatewayUnavailableException.class)
    public JsonNode previewSegment(JsonNode definition) {
        return call(bearer -> api.previewSegment(bearer, definition));
    }

    /** Sent with an idempotency key, but not retried here: the person sees the failure and decides. */
    @Timeout(10000)
    public JsonNode createSegment(String idempotencyKey, JsonNode definition) {
        return call(bearer -> api.createSegment(bearer, idempotencyKey, definition));
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode journeys() {
        return call(api::journeys);
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode journey(String id) {
        return call(bearer -> api.journey(bearer, id));
    }

    @Timeout(15000)
    @Retry(maxRetries = 1, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode journeyStats(String id) {
        return call(bearer -> api.journeyStats(bearer, id));
    }

    /** Pause ({@code active=false}) or resume a journey. Not retried: the person sees the outcome. */
    @Timeout(10000)
    public JsonNode setJourneyActive(String id, boolean active) {
        return call(bearer -> api.journeyAction(bearer, id, active ? "activate" : "deactivate"));
    }

    @Timeout(15000)
    @Retry(maxRetries = 1, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode attributionPaths(String from, String to, Integer lookbackDays, int limit) {
        return call(bearer -> api.paths(bearer, from, to, lookbackDays, limit));
    }

    /** Not retried: the gateway may have passed it on before it failed. */
    @Timeout(10000)
    public JsonNode unmerge(String profileId, String mergeId, String reason) {
        JsonNode body = JsonNodeFactory.instance.objectNode().put("mergeId", mergeId).put("reason", reason);
        return call(bearer -> api.unmerge(bearer, profileId, body));
    }

    @Timeout(15000)
    @Retry(maxRetries = 1, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode attributionComparison(String from, String to, Integer lookbackDays) {
        return call(bearer -> api.comparison(bearer, MODELS, from, to, lookbackDays));
    }

    @Timeout(15000)
    @Retry(maxRetries = 1, delay = 200, retryOn = GatewayUnavailableException.class)
    public String attributionComparisonCsv(String from, String to, Integer lookbackDays) {
        return call(bearer -> api.comparisonCsv(bearer, MODELS, from, to, lookbackDays, "csv"));
    }

    @Timeout(15000)
    @Retry(maxRetries = 1, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode attributionKpis(String from, String to) {
        return call(bearer -> api.kpis(bearer, from, to));
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode availability(String productId) {
        return call(bearer -> api.availability(bearer, productId));
    }

    @Timeout(8000)
    @Retry(maxRetries = 2, delay = 200, retryOn = GatewayUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failOn = {GatewayUnavailableException.class, TimeoutException.class})
    public JsonNode locations() {
        return call(api::locations);
    }

    private <T> T call(Function<String, T> request) {
        try {
            return request.apply(token.bearer());
        } catch (ProcessingException e) {
            if (e.getCause() instanceof GatewayException refused) {
                throw refused;
            }
            throw GatewayException.unreachable(e);
        }
    }
}
