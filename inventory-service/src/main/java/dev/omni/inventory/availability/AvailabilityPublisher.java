package dev.omni.inventory.availability;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.availability.AvailabilityChanged;
import dev.omni.contracts.availability.BackInStock;
import dev.omni.contracts.availability.ChannelAvailabilityChanged;
import dev.omni.platform.sql.NativeSql;
import dev.omni.inventory.Sequential;
import dev.omni.inventory.stock.StockKey;
import dev.omni.inventory.stock.StockLedger;
import dev.omni.inventory.stock.StockPicture;
import dev.omni.inventory.stock.StockUpdate;
import dev.omni.inventory.subscription.SubscriptionService;
import dev.omni.platform.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.omni.inventory.Events.ONLINE;
import static dev.omni.inventory.Events.SOURCE;

/**
 * Turns the stock updates of one transaction into {@code omni.availability} events, in that transaction's outbox:
 * the new picture of every sku@location that changed, the online total when a location that fulfils online changed,
 * and back-in-stock notices (with their subscribers) when available went from 0 to more.
 */
@ApplicationScoped
public class AvailabilityPublisher {

    private final Outbox outbox;
    private final StockLedger ledger;
    private final SubscriptionService subscriptions;
    private final NativeSql sql;
    private final AvailabilityIndex index;

    public AvailabilityPublisher(Outbox outbox, StockLedger ledger, SubscriptionService subscriptions, NativeSql sql,
            AvailabilityIndex index) {
        this.index = index;
        this.outbox = outbox;
        this.sql = sql;
        this.ledger = ledger;
        this.subscriptions = subscriptions;
    }

    /**
     * Wrap a transaction that may {@link #publish} in this: once it committed, this replica's availability index
     * shows the new pictures at once (the others learn them from the topic).
     */
    public <T> Uni<T> tracked(java.util.function.Supplier<Uni<T>> transaction) {
        return index.tracked(transaction);
    }

    public Uni<Void> publish(List<StockUpdate> updates) {
        List<StockUpdate> net = net(updates);
        Instant now = Instant.now();
        return Sequential.each(net, update -> location(update, now)).chain(() -> online(net, now));
    }

    /** One update per key, from the first picture before to the last after, so the topic is never out of order. */
    static List<StockUpdate> net(List<StockUpdate> updates) {
        Map<StockKey, StockUpdate> byKey = new LinkedHashMap<>();
        for (StockUpdate update : updates) {
            byKey.merge(update.key(), update, (first, next) ->
                    new StockUpdate(first.before(), next.after(), next.productId(), next.fulfilsOnline()));
        }
        return byKey.values().stream().filter(StockUpdate::changed).toList();
    }

    private Uni<Void> location(StockUpdate update, Instant now) {
        StockPicture after = update.after();
        AvailabilityChanged changed = new AvailabilityChanged(after.sku(), update.productId(), after.locationId(),
                after.onHand(), after.reserved(), after.committed(), after.safetyStock(), after.damaged(),
                after.available(), now);
        index.note(new AvailabilityIndex.Pending(after.sku(), after.locationId(), after.available(), now));
        Uni<Void> published = outbox.publish(CloudEvent.of(EventType.AVAILABILITY_CHANGED, SOURCE,
                update.key().toString(), changed));
        if (update.before().available() == 0 && after.available() > 0) {
            return published.chain(() -> backInStock(after.sku(), update.productId(), after.locationId(),
                    after.available(), now));
        }
        return published;
    }

    private Uni<Void> online(List<StockUpdate> updates, Instant now) {
        Map<String, List<StockUpdate>> bySku = new LinkedHashMap<>();
        for (StockUpdate update : updates) {
            if (update.fulfilsOnline() && update.availableChanged()) {
                bySku.computeIfAbsent(update.after().sku(), sku -> new ArrayList<>()).add(update);
            }
        }
        return Sequential.each(bySku.entrySet(), entry -> ledger.onlineAvailable(entry.getKey())
                .chain(after -> {
                    int delta = entry.getValue().stream()
                            .mapToInt(u -> u.after().available() - u.before().available()).sum();
                    return channelChanged(entry.getKey(), entry.getValue().get(0).productId(), after - delta, after,
                            now);
                }));
    }

    /** Publishes the online total of {@code sku} when it moved from {@code before} to {@code after}. */
    public Uni<Void> channelChanged(String sku, String productId, int before, int after, Instant now) {
        if (before == after) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> published = outbox.publish(CloudEvent.of(EventType.CHANNEL_AVAILABILITY_CHANGED, SOURCE,
                sku + "@" + ONLINE, new ChannelAvailabilityChanged(sku, productId, ONLINE, after, now)));
        return before == 0 && after > 0 ? published.chain(() -> backInStock(sku, productId, null, after, now))
                : published;
    }

    /** A location started or stopped fulfilling online: its available units join or leave every online total. */
    public Uni<Void> onlineMembershipChanged(String locationId, boolean nowOnline) {
        Instant now = Instant.now();
        return Panache.getSession().chain(Mutiny.Session::flush)
                .chain(() -> sql.rows("SELECT s.sku, k.product_id, s.available FROM stock_level s "
                        + "JOIN sku k ON k.sku = s.sku WHERE s.location_id = ?1 AND s.available > 0", locationId))
                .chain(rows -> Sequential.each(rows, row -> {
                    String sku = (String) row[0];
                    int available = NativeSql.integer(row[2]);
                    return ledger.onlineAvailable(sku).chain(after -> channelChanged(sku, (String) row[1],
                            nowOnline ? after - available : after + available, after, now));
                }));
    }

    private Uni<Void> backInStock(String sku, String productId, String locationId, int available, Instant now) {
        return subscriptions.claimWaiting(sku, locationId, now).chain(profileIds -> profileIds.isEmpty()
                ? Uni.createFrom().voidItem()
                : outbox.publish(CloudEvent.of(EventType.BACK_IN_STOCK, SOURCE,
                        "back-in-stock:" + sku + (locationId == null ? "" : "@" + locationId),
                        new BackInStock(sku, productId, locationId, available, profileIds, now))));
    }
}
