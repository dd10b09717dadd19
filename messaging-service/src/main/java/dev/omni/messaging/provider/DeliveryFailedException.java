package dev.omni.messaging.provider;

/** Every provider of the channel failed (or there is none); {@code provider} is the last one tried. */
public class DeliveryFailedException extends RuntimeException {

    private final String provider;

    public DeliveryFailedException(String provider, String message, Throwable cause) {
        super(message, cause);
        this.provider = provider;
    }

    public String provider() {
        return provider;
    }
}
