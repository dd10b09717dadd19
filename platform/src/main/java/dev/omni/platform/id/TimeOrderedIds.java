package dev.omni.platform.id;

import org.hibernate.id.uuid.UuidVersion7Strategy;

import java.util.UUID;

/**
 * Ids in time order (UUID version 7, RFC 9562, from Hibernate ORM's generator) for rows written at a high rate: a
 * new row's key goes to the right edge of its primary key index, a page already in memory, instead of to a random
 * leaf of an index that grows with every event (a random page read, and after each checkpoint a full-page image in
 * the WAL).
 */
public final class TimeOrderedIds {

    private TimeOrderedIds() {
    }

    public static UUID next() {
        return UuidVersion7Strategy.INSTANCE.generateUuid(null);
    }
}
