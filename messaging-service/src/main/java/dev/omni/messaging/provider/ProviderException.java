package dev.omni.messaging.provider;

/** A provider refused or failed a send; {@code status} is its HTTP status, 0 for no answer. */
public class ProviderException extends RuntimeException {

    private final int status;
    private final boolean retryable;

    public ProviderException(String message, int status, Throwable cause) {
        this(message, status, cause, status == 0 || status == 408 || status == 429 || status >= 500);
    }

    /** For protocols whose codes mean something else than HTTP's (SMTP: 4xx transient, 5xx permanent). */
    public ProviderException(String message, int status, Throwable cause, boolean retryable) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
    }

    public int status() {
        return status;
    }

    /**
     * Worth another attempt at the same provider: no answer, a timeout, HTTP 408/429/5xx, an SMTP transient (4xx)
     * reply. An HTTP 4xx other than 408/429 or an SMTP permanent (5xx) reply means this request will never succeed at
     * this provider: fail over at once.
     */
    public boolean retryable() {
        return retryable;
    }
}
