package dev.omni.profile.timeline;

import org.hibernate.id.uuid.UuidVersion7Strategy;

import java.util.UUID;

/**
 * Timeline entry ids in time order (UUID version 7, RFC 9562, from Hibernate ORM's generator): a new entry's key goes
 * to the right edge of the primary key index, a page already in memory, instead of to a random leaf of an index that
 * grows by every interaction of every customer (a random page read, and after each checkpoint a full-page image in
 * the WAL).
 */
public final class TimelineIds {

    private TimelineIds() {
    }

    public static UUID next() {
        return UuidVersion7Strategy.INSTANCE.generateUuid(null);
    }
}
