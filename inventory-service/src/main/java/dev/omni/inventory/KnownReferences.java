package dev.omni.inventory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.omni.inventory.location.Location;
import dev.omni.inventory.sku.Sku;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which skus and locations exist, for the requests that only need to know that (movements, stock settings,
 * subscriptions, reservations). Neither is ever deleted, so one that was found once is remembered and not looked up
 * again; one not found is asked for every time, so a sku created on another replica a moment ago is known at once. A
 * lookup joins the caller's session, or opens one when there is none; an answer from memory needs no session.
 */
@ApplicationScoped
public class KnownReferences {

    private static final int REMEMBERED = 100_000;

    private final Cache<String, Boolean> skus = Caffeine.newBuilder().maximumSize(REMEMBERED).build();
    private final Cache<String, Boolean> locations = Caffeine.newBuilder().maximumSize(REMEMBERED).build();

    /** The members of {@code wanted} that are skus. */
    public Uni<Set<String>> skus(Collection<String> wanted) {
        return existing(skus, wanted, Sku::existing);
    }

    /** The members of {@code wanted} that are location ids. */
    public Uni<Set<String>> locations(Collection<String> wanted) {
        return existing(locations, wanted, ids -> Location.pickupByExistingId(ids).map(Map::keySet));
    }

    private static Uni<Set<String>> existing(Cache<String, Boolean> known, Collection<String> wanted,
            Function<Collection<String>, Uni<Set<String>>> lookup) {
        Set<String> found = new HashSet<>(wanted.size());
        Set<String> unseen = new HashSet<>();
        for (String id : wanted) {
            (known.getIfPresent(id) != null ? found : unseen).add(id);
        }
        if (unseen.isEmpty()) {
            return Uni.createFrom().item(found);
        }
        return Panache.withSession(() -> lookup.apply(unseen)).map(existing -> {
            existing.forEach(id -> known.put(id, Boolean.TRUE));
            found.addAll(existing);
            return found;
        });
    }
}
