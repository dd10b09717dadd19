package dev.omni.messaging.provider;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.WebApplicationException;

import java.time.Duration;

/** Turns what a REST client call can end with into {@link ProviderException}s. */
final class HttpFailures {

    private HttpFailures() {
    }

    static <T> Uni<T> guard(String provider, Duration timeout, Uni<T> call) {
        return call.ifNoItem().after(timeout)
                .failWith(() -> new ProviderException(provider + " did not answer within " + timeout, 0, null))
                .onFailure(failure -> !(failure instanceof ProviderException))
                .transform(failure -> {
                    if (failure instanceof WebApplicationException web && web.getResponse() != null) {
                        int status = web.getResponse().getStatus();
                        return new ProviderException(provider + " answered HTTP " + status, status, failure);
                    }
                    return new ProviderException(provider + " unreachable: " + failure.getMessage(), 0, failure);
                });
    }
}
