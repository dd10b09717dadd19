package dev.omni.inventory.stock;

/** A change as applied: the picture before and after, and facts about its sku and location the events need. */
public record StockUpdate(StockPicture before, StockPicture after, String productId, boolean fulfilsOnline) {

    public StockKey key() {
        return after.key();
    }

    public boolean changed() {
        return !before.equals(after);
    }

    public boolean availableChanged() {
        return before.available() != after.available();
    }
}
