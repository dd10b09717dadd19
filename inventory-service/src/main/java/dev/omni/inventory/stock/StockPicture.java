package dev.omni.inventory.stock;

/**
 * The quantities of one sku@location; {@code available = max(0, onHand - reserved - committed - safetyStock -
 * damaged)}.
 */
public record StockPicture(String sku, String locationId, int onHand, int reserved, int committed, int safetyStock,
        int damaged, int available) {

    public static StockPicture empty(StockKey key) {
        return new StockPicture(key.sku(), key.locationId(), 0, 0, 0, 0, 0, 0);
    }

    public StockKey key() {
        return new StockKey(sku, locationId);
    }

    /** Units physically there that can be handed over: what covers reservations and orders. */
    public int sellable() {
        return Math.max(0, onHand - damaged);
    }

    /** Held units the shelf no longer covers (a sale the reservation did not know about). */
    public int uncovered() {
        return Math.max(0, reserved + committed - sellable());
    }

    static int available(int onHand, int reserved, int committed, int safetyStock, int damaged) {
        return Math.max(0, onHand - reserved - committed - safetyStock - damaged);
    }
}
