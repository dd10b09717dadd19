package dev.omni.inventory;

/** What every event of this service carries as its CloudEvents {@code source}. */
public final class Events {

    public static final String SOURCE = "/inventory-service";
    /** The sales channel whose availability is the sum over locations that fulfil online orders. */
    public static final String ONLINE = "online";

    private Events() {
    }
}
