package dev.omni.gateway.upstream;

/**
 * The service answered with a 5xx: counted as a failure by its circuit breaker, then the answer itself is passed
 * on (the proxy forwards it, the client reports it). Never retried: the service did receive the request.
 */
final class UpstreamAnswered extends RuntimeException {

    final transient Object answer;
    final int status;

    UpstreamAnswered(int status, Object answer) {
        super("answered " + status, null, false, false);
        this.status = status;
        this.answer = answer;
    }
}
