package dev.omni.contracts;

/** Kafka topic names; a channel is named after the topic it reads or writes. */
public final class Topics {
    public static final String INTERACTIONS = "omni.interactions";
    public static final String PROFILES = "omni.profiles";
    public static final String STOCK_MOVEMENTS = "omni.stock-movements";
    public static final String AVAILABILITY = "omni.availability";
    public static final String RESERVATIONS = "omni.reservations";
    public static final String MESSAGE_EVENTS = "omni.message-events";

    /** Suffix of the dead-letter topic each consumer writes poison records to. */
    public static final String DLQ_SUFFIX = ".dlq";

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + DLQ_SUFFIX;
    }
}
