package dev.omni.inventory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

@ConfigMapping(prefix = "omni.inventory")
public interface InventoryConfig {

    Reservation reservation();

    Pickup pickup();

    Limits limits();

    Index index();

    Movements movements();

    interface Movements {

        /**
         * Most single movements posted over HTTP applied in one group transaction (they queue while the group before
         * commits); 1 turns grouping off. A batch request is applied on its own.
         */
        @WithDefault("256")
        int groupMax();
    }

    interface Index {

        /** Whether availability near me answers from the in-memory index (else every search reads PostgreSQL). */
        @WithDefault("true")
        boolean enabled();

        /**
         * How often the index reloads locations, skus and every sku@location from PostgreSQL: the bound on how stale a
         * location or sku created on another replica (or a record this replica's consumer never saw) can be.
         */
        @WithDefault("30s")
        Duration refresh();
    }

    interface Reservation {

        /** How long a reservation holds stock when its channel has no lifetime of its own. */
        @WithDefault("15m")
        Duration defaultTtl();

        /** Lifetime per channel ({@code web}, {@code app}, {@code call_centre}, ...). */
        Map<String, Duration> ttl();

        /** Extensions never keep a reservation alive longer than this after it was created. */
        @WithDefault("48h")
        Duration maxLifetime();

        /** How often lapsed reservations are released (a scheduler expression such as {@code 5s}). */
        @WithDefault("5s")
        String expiryEvery();

        /** Lapsed reservations released per transaction. */
        @WithDefault("200")
        int expiryBatchSize();

        /** How often at-risk reservations are offered to another store again. */
        @WithDefault("30s")
        String reallocationEvery();

        /**
         * Most reservations of one sku@location reserved in one group transaction (those without Idempotency-Key whose
         * lines all reserve there); 1 turns grouping off.
         */
        @WithDefault("256")
        int groupMax();

        /** Farthest store an at-risk reservation moves to when the customer gave no radius. */
        @WithDefault("50")
        double reallocationRadiusKm();

        default Duration ttlFor(String channel) {
            return ttl().getOrDefault(channel, defaultTtl());
        }
    }

    interface Pickup {

        /** Time a store needs between a reservation and the moment the customer can collect it. */
        @WithDefault("2h")
        Duration preparation();
    }

    interface Limits {

        /** Movements per request. */
        @WithDefault("500")
        int movementBatch();

        /** Lines per reservation. */
        @WithDefault("50")
        int reservationLines();

        /** Largest quantity one movement or line may carry. */
        @WithDefault("1000000")
        int quantity();

        /** Largest radius of an availability search. */
        @WithDefault("500")
        double radiusKm();

        /** Radius of an availability search that names none. */
        @WithDefault("25")
        double defaultRadiusKm();
    }
}
