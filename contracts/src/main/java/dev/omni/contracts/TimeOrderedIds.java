package dev.omni.contracts;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import java.util.UUID;

/**
 * Ids in time order (UUID version 7, RFC 9562: 48 bits of Unix milliseconds, then random bits) for events and for
 * rows written at a high rate. Such a key goes to the right edge of its primary key index, a page already in memory,
 * instead of to a random leaf of an index that grows with every event (a random page read, and after each
 * checkpoint a full-page image in the WAL): every consumer's {@code processed_event}, every outbox, attribution's
 * touchpoints (keyed by event id), profile-service's timeline.
 */
public final class TimeOrderedIds {

    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    private TimeOrderedIds() {
    }

    public static UUID next() {
        return GENERATOR.generate();
    }
}
