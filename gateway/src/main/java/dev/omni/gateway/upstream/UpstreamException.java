package dev.omni.gateway.upstream;

import dev.omni.gateway.problem.Problems;
import io.quarkiverse.resteasy.problem.HttpProblem;

/** A call to a service failed; {@link #status()} is what the gateway answers (502, 503 or 504). */
public class UpstreamException extends RuntimeException {

    private final Upstream upstream;
    private final int status;
    private final long retryAfterSeconds;

    public UpstreamException(Upstream upstream, int status, String message, long retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.upstream = upstream;
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The problem+json a REST endpoint of the gateway answers with. */
    public HttpProblem toProblem() {
        return Problems.of(status, getMessage(), retryAfterSeconds);
    }

    public Upstream upstream() {
        return upstream;
    }

    public int status() {
        return status;
    }

    /** Seconds a client should wait before trying again; 0 when there is no useful hint. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
