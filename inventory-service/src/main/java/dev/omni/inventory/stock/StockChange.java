package dev.omni.inventory.stock;

/**
 * What to add to each quantity of one sku@location, and the condition under which the change may happen.
 *
 * @param requireAvailable when not null, apply only if {@code available >= requireAvailable} (the no-oversell guard)
 * @param expectedOnHand   when not null, apply only if {@code onHand == expectedOnHand} (a partner's compare-and-set)
 */
public record StockChange(StockKey key, int onHand, int reserved, int committed, int safetyStock, int damaged,
        Integer requireAvailable, Integer expectedOnHand) {

    public static StockChange onHand(StockKey key, int delta, Integer expectedOnHand) {
        return new StockChange(key, delta, 0, 0, 0, 0, null, expectedOnHand);
    }

    /** Holds {@code quantity} for a customer, only if that many are available. */
    public static StockChange reserve(StockKey key, int quantity) {
        return new StockChange(key, 0, quantity, 0, 0, 0, quantity, null);
    }

    /** Holds {@code quantity} for a placed order, only if that many are available (a reallocated order). */
    public static StockChange commitNew(StockKey key, int quantity) {
        return new StockChange(key, 0, 0, quantity, 0, 0, quantity, null);
    }

    public static StockChange unreserve(StockKey key, int quantity) {
        return new StockChange(key, 0, -quantity, 0, 0, 0, null, null);
    }

    public static StockChange uncommit(StockKey key, int quantity) {
        return new StockChange(key, 0, 0, -quantity, 0, 0, null, null);
    }

    /** Order placed: reserved units become committed. */
    public static StockChange commit(StockKey key, int quantity) {
        return new StockChange(key, 0, -quantity, quantity, 0, 0, null, null);
    }

    /** Handed to the customer: the units leave the shelf and whatever held them. */
    public static StockChange fulfilReserved(StockKey key, int quantity) {
        return new StockChange(key, -quantity, -quantity, 0, 0, 0, null, null);
    }

    public static StockChange fulfilCommitted(StockKey key, int quantity) {
        return new StockChange(key, -quantity, 0, -quantity, 0, 0, null, null);
    }

    public static StockChange settings(StockKey key, int safetyStockDelta, int damagedDelta) {
        return new StockChange(key, 0, 0, 0, safetyStockDelta, damagedDelta, null, null);
    }

    public boolean isEmpty() {
        return onHand == 0 && reserved == 0 && committed == 0 && safetyStock == 0 && damaged == 0;
    }

    /** The picture before this change, from the picture it produced. */
    StockPicture before(StockPicture after) {
        int onHandBefore = after.onHand() - onHand;
        int reservedBefore = after.reserved() - reserved;
        int committedBefore = after.committed() - committed;
        int safetyBefore = after.safetyStock() - safetyStock;
        int damagedBefore = after.damaged() - damaged;
        return new StockPicture(after.sku(), after.locationId(), onHandBefore, reservedBefore, committedBefore,
                safetyBefore, damagedBefore, StockPicture.available(onHandBefore, reservedBefore, committedBefore,
                        safetyBefore, damagedBefore));
    }
}
