package dev.omni.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * CloudEvents 1.0 envelope in structured JSON mode: every record value on an Omni topic is one of these.
 *
 * @param id      unique per event; consumers dedupe on it
 * @param source  the producing service, e.g. {@code /profile-service}
 * @param type    {@code omni.<noun>.<verb>}, one of {@link EventType}
 * @param subject the aggregate id, also the record key (profile id, {@code sku@location}, ...)
 */
public record CloudEvent<T>(
        String specversion,
        UUID id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        T data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json";
    public static final String DATA_CONTENT_TYPE = "application/json";

    public CloudEvent {
        Objects.requireNonNull(specversion, "specversion");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** A new event of {@code type} about {@code subject}, stamped now, with a time-ordered id ({@link TimeOrderedIds}). */
    public static <T> CloudEvent<T> of(EventType type, String source, String subject, T data) {
        Objects.requireNonNull(data, "data");
        if (!type.payload().isInstance(data)) {
            throw new IllegalArgumentException(type.type() + " carries " + type.payload().getSimpleName()
                    + ", not " + data.getClass().getSimpleName());
        }
        return new CloudEvent<>(SPEC_VERSION, TimeOrderedIds.next(), source, type.type(), subject, Instant.now(),
                DATA_CONTENT_TYPE, data);
    }

    public EventType eventType() {
        return EventType.fromType(type);
    }

    /** The record key: events of one aggregate stay ordered on one partition. */
    public String key() {
        return subject;
    }
}
