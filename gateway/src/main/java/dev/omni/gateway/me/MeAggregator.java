package dev.omni.gateway.me;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.gateway.problem.Problems;
import dev.omni.gateway.upstream.Upstream;
import dev.omni.gateway.upstream.UpstreamClient;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Composes {@code GET /api/me} from profile-service (profile, cart, favourites, loyalty, consents) and
 * inventory-service (reservations), in parallel. A part whose service fails or exceeds the part timeout is left out
 * and named in {@code unavailable}; only when every part is missing is the answer an error (502).
 */
@ApplicationScoped
public class MeAggregator {

    static final String PROFILE = "profile";
    static final String CART = "cart";
    static final String FAVOURITES = "favourites";
    static final String LOYALTY = "loyalty";
    static final String CONSENTS = "consents";
    static final String RESERVATIONS = "reservations";

    private final UpstreamClient client;
    private final MeConfig config;

    public MeAggregator(UpstreamClient client, MeConfig config) {
        this.client = client;
        this.config = config;
    }

    public Uni<MeView> compose(String profileId, String rawToken, String requestId) {
        Map<String, String> headers = UpstreamClient.onBehalfOf(rawToken, requestId);
        String profile = "/api/profiles/" + URLEncoder.encode(profileId, StandardCharsets.UTF_8);
        Map<String, Uni<Part>> parts = new LinkedHashMap<>();
        parts.put(PROFILE, part(PROFILE, Upstream.PROFILE, profile, headers));
        parts.put(CART, part(CART, Upstream.PROFILE, profile + "/cart", headers));
        parts.put(FAVOURITES, part(FAVOURITES, Upstream.PROFILE, profile + "/favourites", headers));
        parts.put(LOYALTY, part(LOYALTY, Upstream.PROFILE, profile + "/loyalty", headers));
        parts.put(CONSENTS, part(CONSENTS, Upstream.PROFILE, profile + "/consents", headers));
        parts.put(RESERVATIONS, part(RESERVATIONS, Upstream.INVENTORY,
                "/api/reservations?profileId=" + URLEncoder.encode(profileId, StandardCharsets.UTF_8), headers));
        return Uni.join().all(List.copyOf(parts.values())).andFailFast().map(done -> {
            Map<String, JsonNode> found = new LinkedHashMap<>();
            List<String> unavailable = new ArrayList<>();
            for (Part part : done) {
                if (part.available()) {
                    found.put(part.name(), part.body());
                } else {
                    unavailable.add(part.name());
                }
            }
            if (unavailable.size() == done.size()) {
                throw Problems.badGateway("no part of the customer's data could be fetched");
            }
            return new MeView(profileId, found.get(PROFILE), found.get(CART), found.get(FAVOURITES),
                    found.get(LOYALTY), found.get(CONSENTS), found.get(RESERVATIONS), List.copyOf(unavailable));
        });
    }

    private Uni<Part> part(String name, Upstream upstream, String uri, Map<String, String> headers) {
        return client.get(upstream, uri, headers)
                .ifNoItem().after(config.partTimeout()).fail()
                .map(answer -> {
                    if (answer.ok()) {
                        return new Part(name, true, answer.body());
                    }
                    if (answer.status() == 404) {
                        return new Part(name, true, null);
                    }
                    Log.warnf("/api/me: %s answered %d for %s", upstream.key(), answer.status(), name);
                    return new Part(name, false, null);
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("/api/me: %s left out: %s", name, failure.toString());
                    return new Part(name, false, null);
                });
    }

    private record Part(String name, boolean available, JsonNode body) {
    }
}
