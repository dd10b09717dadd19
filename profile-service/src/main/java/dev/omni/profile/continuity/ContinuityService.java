package dev.omni.profile.continuity;

import dev.omni.profile.identity.Profiles;
import dev.omni.profile.tx.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BinaryOperator;

/**
 * Favourites, cart and recently viewed items, shared by every channel of a customer. Rows stay with the profile
 * that wrote them, so a merge shows the union and an unmerge gives each side its own back; a write while merged
 * updates the SKU wherever it lives in the group and lands on the survivor.
 */
@ApplicationScoped
public class ContinuityService {

    public static final String FAVOURITES = "favourites";
    public static final String CART = "cart";
    public static final String RECENTLY_VIEWED = "recently_viewed";

    private static final String UPSERT = """
            INSERT INTO continuity_item (profile_id, list, sku, quantity, channel, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (profile_id, list, sku) DO UPDATE
            SET quantity = excluded.quantity, channel = excluded.channel, updated_at = excluded.updated_at""";
    private static final String UPDATE_IN_GROUP = """
            UPDATE continuity_item SET quantity = ?4, channel = ?5, updated_at = ?6
            WHERE list = ?2 AND sku = ?3 AND profile_id IN (SELECT id FROM profile WHERE survivor_id = ?1)""";
    private static final String REMOVE_IN_GROUP = """
            DELETE FROM continuity_item
            WHERE list = ?2 AND sku = ?3 AND profile_id IN (SELECT id FROM profile WHERE survivor_id = ?1)""";
    private static final String TRIM_VIEWED = """
            DELETE FROM continuity_item WHERE list = 'recently_viewed'
            AND profile_id IN (SELECT id FROM profile WHERE survivor_id = ?1)
            AND (profile_id, sku) NOT IN (
                SELECT c.profile_id, c.sku FROM continuity_item c JOIN profile p ON p.id = c.profile_id
                WHERE p.survivor_id = ?1 AND c.list = 'recently_viewed' ORDER BY c.updated_at DESC LIMIT ?2)""";

    private static final String VIEWS = "unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS v(root, sku, channel, at)";
    private static final String UPDATE_VIEWED_IN_GROUPS = """
            UPDATE continuity_item c SET quantity = 1, channel = v.channel, updated_at = v.at
            FROM %s, profile p
            WHERE c.list = 'recently_viewed' AND c.sku = v.sku AND c.profile_id = p.id AND p.survivor_id = v.root"""
            .formatted(VIEWS);
    private static final String UPSERT_VIEWED = """
            INSERT INTO continuity_item (profile_id, list, sku, quantity, channel, updated_at)
            SELECT v.root, 'recently_viewed', v.sku, 1, v.channel, v.at FROM %s
            ON CONFLICT (profile_id, list, sku) DO UPDATE
            SET quantity = excluded.quantity, channel = excluded.channel, updated_at = excluded.updated_at"""
            .formatted(VIEWS);
    private static final String TRIM_VIEWED_GROUPS = """
            DELETE FROM continuity_item c USING (
                SELECT c2.profile_id, c2.sku,
                       row_number() OVER (PARTITION BY p.survivor_id ORDER BY c2.updated_at DESC) AS rank
                FROM continuity_item c2 JOIN profile p ON p.id = c2.profile_id
                WHERE p.survivor_id = ANY($1) AND c2.list = 'recently_viewed') r
            WHERE c.list = 'recently_viewed' AND c.profile_id = r.profile_id AND c.sku = r.sku AND r.rank > $2""";

    private final Profiles profiles;
    private final ContinuityConfig config;

    public ContinuityService(Profiles profiles, ContinuityConfig config) {
        this.profiles = profiles;
        this.config = config;
    }

    public Uni<ContinuityView> view(UUID profileId) {
        return profiles.survivorOf(profileId).chain(this::viewOfGroup);
    }

    public Uni<ContinuityView> put(UUID profileId, String list, String sku, int quantity, String channel) {
        return Transactions.retrying(() -> profiles.survivorOf(profileId)
                .chain(root -> write(root, list, sku, quantity, channel, Instant.now())
                        .chain(() -> viewOfGroup(root))));
    }

    public Uni<ContinuityView> remove(UUID profileId, String list, String sku) {
        return Transactions.retrying(() -> profiles.survivorOf(profileId)
                .chain(root -> Panache.getSession().chain(session -> session.createNativeQuery(REMOVE_IN_GROUP)
                                .setParameter(1, root).setParameter(2, list).setParameter(3, sku).executeUpdate())
                        .chain(() -> viewOfGroup(root))));
    }

    /** One product view of a batch: {@code root} is the survivor of the customer's group. */
    public record View(UUID root, String sku, String channel, Instant at) {
    }

    /** The SKU an event puts on the recently viewed list, or null. */
    public String viewedSku(String event, Object sku) {
        return config.viewedEvents().contains(event) && sku instanceof String value && !value.isBlank()
                && value.length() <= 100 ? value : null;
    }

    /**
     * Records a batch's product views, in order, with three statements on {@code connection} (inside the caller's
     * transaction, the survivors locked), sent without waiting for each other's answers: the same writes as
     * {@link #viewed} makes for each view.
     */
    public Uni<Void> viewedAll(SqlConnection connection, List<View> views) {
        if (views.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<List<Object>, View> last = new LinkedHashMap<>();
        views.forEach(v -> {
            last.remove(List.of(v.root(), v.sku()));
            last.put(List.of(v.root(), v.sku()), v);
        });
        int n = last.size();
        UUID[] roots = new UUID[n];
        String[] skus = new String[n];
        String[] channels = new String[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        int i = 0;
        for (View v : last.values()) {
            roots[i] = v.root();
            skus[i] = v.sku();
            channels[i] = v.channel();
            at[i++] = v.at().atOffset(ZoneOffset.UTC);
        }
        Tuple args = Tuple.of(roots, skus, channels, at);
        UUID[] distinctRoots = Arrays.stream(roots).distinct().toArray(UUID[]::new);
        // sent together: the connection pipelines them and PostgreSQL runs them in this order
        return Uni.combine().all().unis(connection.preparedQuery(UPDATE_VIEWED_IN_GROUPS).execute(args),
                        connection.preparedQuery(UPSERT_VIEWED).execute(args),
                        connection.preparedQuery(TRIM_VIEWED_GROUPS)
                                .execute(Tuple.of(distinctRoots, config.recentlyViewedSize())))
                .discardItems();
    }

    /** Records a product view from an ingested event, inside the ingest transaction. */
    public Uni<Void> viewed(UUID survivorId, String event, Object sku, String channel, Instant at) {
        if (!config.viewedEvents().contains(event) || !(sku instanceof String value) || value.isBlank()
                || value.length() > 100) {
            return Uni.createFrom().voidItem();
        }
        return write(survivorId, RECENTLY_VIEWED, value, 1, channel, at);
    }

    private Uni<Void> write(UUID root, String list, String sku, int quantity, String channel, Instant at) {
        return Transactions.flush().chain(Panache::getSession).chain(session -> session.createNativeQuery(UPDATE_IN_GROUP)
                .setParameter(1, root).setParameter(2, list).setParameter(3, sku).setParameter(4, quantity)
                .setParameter(5, channel).setParameter(6, at).executeUpdate()
                .chain(() -> session.createNativeQuery(UPSERT)
                        .setParameter(1, root).setParameter(2, list).setParameter(3, sku).setParameter(4, quantity)
                        .setParameter(5, channel).setParameter(6, at).executeUpdate())
                .chain(() -> RECENTLY_VIEWED.equals(list)
                        ? session.createNativeQuery(TRIM_VIEWED).setParameter(1, root)
                                .setParameter(2, config.recentlyViewedSize()).executeUpdate()
                        : Uni.createFrom().item(0))
                .replaceWithVoid());
    }

    private Uni<ContinuityView> viewOfGroup(UUID root) {
        return ContinuityItem.ofGroup(root).map(items -> new ContinuityView(root,
                union(items, FAVOURITES, ContinuityService::newer),
                union(items, CART, (a, b) -> a.quantity() >= b.quantity() ? a : b),
                union(items, RECENTLY_VIEWED, ContinuityService::newer).stream()
                        .limit(config.recentlyViewedSize()).toList()));
    }

    private static List<ContinuityView.Item> union(List<ContinuityItem> items, String list,
            BinaryOperator<ContinuityView.Item> pick) {
        Map<String, ContinuityView.Item> bySku = new LinkedHashMap<>();
        items.stream().filter(i -> i.list.equals(list))
                .forEach(i -> bySku.merge(i.sku, new ContinuityView.Item(i.sku, i.quantity, i.channel, i.updatedAt), pick));
        return bySku.values().stream()
                .sorted(Comparator.comparing(ContinuityView.Item::updatedAt).reversed())
                .toList();
    }

    private static ContinuityView.Item newer(ContinuityView.Item a, ContinuityView.Item b) {
        return a.updatedAt().isAfter(b.updatedAt()) ? a : b;
    }
}
