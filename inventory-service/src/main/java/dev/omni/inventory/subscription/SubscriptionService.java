package dev.omni.inventory.subscription;

import dev.omni.inventory.Failures;
import dev.omni.platform.sql.NativeSql;
import dev.omni.inventory.location.Location;
import dev.omni.inventory.profile.ProfileGroups;
import dev.omni.inventory.sku.Sku;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SubscriptionService {

    private static final String CLAIM = "UPDATE back_in_stock_subscription SET notified_at = now() "
            + "WHERE sku = ?1 AND %s AND notified_at IS NULL RETURNING profile_id";

    private final NativeSql sql;
    private final ProfileGroups groups;

    public SubscriptionService(NativeSql sql, ProfileGroups groups) {
        this.sql = sql;
        this.groups = groups;
    }

    public record Subscribed(BackInStockSubscription subscription, boolean created) {
    }

    /** Subscribes once: asking again while waiting returns the waiting subscription. */
    public Uni<Subscribed> subscribe(SubscriptionRequest request) {
        return Panache.withTransaction(() -> checkReferences(request)
                        .chain(() -> waiting(request))
                        .chain(existing -> existing != null ? Uni.createFrom().item(new Subscribed(existing, false))
                                : create(request)))
                .onFailure(Failures::isUniqueViolation).recoverWithUni(() -> Panache.withSession(() -> waiting(request))
                        .map(existing -> new Subscribed(existing, false)));
    }

    private static Uni<Void> checkReferences(SubscriptionRequest request) {
        return Sku.existing(List.of(request.sku())).chain(skus -> Location.pickupByExistingId(
                        request.locationId() == null ? List.of() : List.of(request.locationId()))
                .invoke(locations -> {
                    List<Violation> violations = new java.util.ArrayList<>();
                    if (skus.isEmpty()) {
                        violations.add(Violation.body("sku", "unknown sku " + request.sku()));
                    }
                    if (request.locationId() != null && locations.isEmpty()) {
                        violations.add(Violation.body("locationId", "unknown location " + request.locationId()));
                    }
                    if (!violations.isEmpty()) {
                        throw Problems.badRequest("the subscription is not valid", violations);
                    }
                }))
                .replaceWithVoid();
    }

    private static Uni<BackInStockSubscription> waiting(SubscriptionRequest request) {
        return request.locationId() == null
                ? BackInStockSubscription.find("profileId = ?1 and sku = ?2 and locationId is null and notifiedAt is null",
                        request.profileId(), request.sku()).firstResult()
                : BackInStockSubscription.find("profileId = ?1 and sku = ?2 and locationId = ?3 and notifiedAt is null",
                        request.profileId(), request.sku(), request.locationId()).firstResult();
    }

    private static Uni<Subscribed> create(SubscriptionRequest request) {
        BackInStockSubscription subscription = new BackInStockSubscription();
        subscription.id = UUID.randomUUID();
        subscription.profileId = request.profileId();
        subscription.sku = request.sku();
        subscription.locationId = request.locationId();
        subscription.createdAt = Instant.now();
        return subscription.persistAndFlush().replaceWith(new Subscribed(subscription, true));
    }

    /** The subscriptions of a customer: the profile's and those of the profiles merged into it. */
    @WithSession
    public Uni<List<BackInStockSubscription>> ofProfile(String profileId) {
        return groups.group(profileId).chain(profileIds ->
                BackInStockSubscription.list("profileId in ?1 order by createdAt", profileIds));
    }

    @WithSession
    public Uni<BackInStockSubscription> find(UUID id) {
        return BackInStockSubscription.<BackInStockSubscription>findById(id)
                .onItem().ifNull().failWith(() -> Problems.notFound("no subscription " + id));
    }

    @WithTransaction
    public Uni<Void> cancel(UUID id) {
        return BackInStockSubscription.deleteById(id).invoke(deleted -> {
            if (!deleted) {
                throw Problems.notFound("no subscription " + id);
            }
        }).replaceWithVoid();
    }

    /**
     * Marks the waiting subscriptions of a sku at a location (or online, for null) as notified and returns their
     * profiles; call in the transaction that publishes the back-in-stock event, so each profile is named once.
     */
    public Uni<List<String>> claimWaiting(String sku, String locationId, Instant at) {
        Uni<List<Object[]>> rows = locationId == null
                ? sql.rows(CLAIM.formatted("location_id IS NULL"), sku)
                : sql.rows(CLAIM.formatted("location_id = ?2"), sku, locationId);
        return rows.map(list -> list.stream().map(row -> (String) row[0]).sorted().toList());
    }

    /** Erasure: the profiles' subscriptions go. */
    public Uni<Integer> deleteOfProfiles(List<String> profileIds) {
        return sql.execute("DELETE FROM back_in_stock_subscription WHERE profile_id IN (?1)", profileIds);
    }
}
