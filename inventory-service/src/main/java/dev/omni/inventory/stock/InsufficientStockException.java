package dev.omni.inventory.stock;

/** A guarded change found its condition false: not enough available, or on hand not what the caller expected. */
public class InsufficientStockException extends RuntimeException {

    private final transient StockChange change;
    private final int available;

    public InsufficientStockException(StockChange change, int available) {
        super(change.key() + ": " + change.requireAvailable() + " requested, " + available + " available");
        this.change = change;
        this.available = available;
    }

    public StockKey key() {
        return change.key();
    }

    public int requested() {
        return change.requireAvailable() == null ? 0 : change.requireAvailable();
    }

    public int available() {
        return available;
    }
}
