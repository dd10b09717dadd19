package dev.omni.inventory.stock;

import java.util.Comparator;

/** One sku at one location: the unit of stock, of locking and of the {@code omni.availability} key. */
public record StockKey(String sku, String locationId) implements Comparable<StockKey> {

    /** Rows are always locked in this order, so two transactions touching the same keys cannot deadlock. */
    private static final Comparator<StockKey> ORDER = Comparator.comparing(StockKey::sku)
            .thenComparing(StockKey::locationId);

    @Override
    public int compareTo(StockKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return sku + "@" + locationId;
    }
}
