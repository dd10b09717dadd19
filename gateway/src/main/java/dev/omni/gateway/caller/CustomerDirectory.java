package dev.omni.gateway.caller;

import dev.omni.gateway.upstream.Upstream;
import dev.omni.gateway.upstream.UpstreamClient;
import dev.omni.gateway.upstream.UpstreamException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the profile a customer's token belongs to: profile-service resolves the token's verified e-mail address
 * ({@code GET /api/profiles?identifierType=email&identifier=...}). Found ids are remembered per token subject for a
 * while; a customer without a profile is asked for again next time, so a new profile shows at once.
 */
@ApplicationScoped
public class CustomerDirectory {

    private final UpstreamClient client;
    private final CustomersConfig config;
    private final Clock clock;
    private final Map<String, Remembered> bySubject = new ConcurrentHashMap<>();

    public CustomerDirectory(UpstreamClient client, CustomersConfig config) {
        this.client = client;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /** The customer's profile id; empty when the token has no verified e-mail or no profile has it. */
    public Uni<Optional<String>> profileIdOf(Caller caller, String requestId) {
        if (!caller.customer() || caller.verifiedEmail().isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        Remembered known = bySubject.get(caller.subject());
        if (known != null && known.until().isAfter(clock.instant())) {
            return Uni.createFrom().item(Optional.of(known.profileId()));
        }
        String uri = "/api/profiles?identifierType=email&identifier="
                + URLEncoder.encode(caller.verifiedEmail().get(), StandardCharsets.UTF_8);
        return client.get(Upstream.PROFILE, uri, UpstreamClient.onBehalfOf(caller.rawToken(), requestId))
                .map(answer -> {
                    if (answer.status() == 404) {
                        return Optional.<String>empty();
                    }
                    if (!answer.ok() || answer.body() == null || !answer.body().hasNonNull("id")) {
                        throw new UpstreamException(Upstream.PROFILE, 502,
                                "profile-service answered " + answer.status() + " to the customer lookup", 0, null);
                    }
                    String profileId = answer.body().get("id").asText();
                    remember(caller.subject(), profileId);
                    return Optional.of(profileId);
                });
    }

    private void remember(String subject, String profileId) {
        Instant now = clock.instant();
        if (bySubject.size() >= config.profileCacheSize()) {
            bySubject.values().removeIf(r -> !r.until().isAfter(now));
            if (bySubject.size() >= config.profileCacheSize()) {
                bySubject.clear();
            }
        }
        bySubject.put(subject, new Remembered(profileId, now.plus(config.profileCacheTtl())));
    }

    private record Remembered(String profileId, Instant until) {
    }
}
