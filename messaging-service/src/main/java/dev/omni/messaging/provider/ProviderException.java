package dev.omni.messaging.provider;

/** A provider refused or failed a send; {@code status} is its HTTP status, 0 for no answer. */
public class ProviderException extends RuntimeException {

    private final int status;

    public ProviderException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** A 4xx other than 408/429 means this request will never succeed at this provider: fail over at once. */
    public boolean retryable() {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }
}
