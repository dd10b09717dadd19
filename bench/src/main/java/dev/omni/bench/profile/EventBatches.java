package dev.omni.bench.profile;

import java.time.Instant;

/**
 * Request bodies for {@code POST /api/events}: batches of storefront traffic — alternately a {@code page} view on the
 * web and a tracked {@code product_viewed} in the app (which also updates the profile's recently viewed items) — from
 * a pool of returning anonymous visitors, each event with a unique messageId from its {@link Ledger}.
 */
final class EventBatches {

    private final String visitorPrefix;
    private final int batchSize;
    private final int visitors;

    /**
     * @param visitorPrefix start of every anonymousId of this run
     * @param visitors      how many distinct visitors (so profiles) the events come from, round robin
     */
    EventBatches(String visitorPrefix, int batchSize, int visitors) {
        this.visitorPrefix = visitorPrefix;
        this.batchSize = batchSize;
        this.visitors = visitors;
    }

    int batchSize() {
        return batchSize;
    }

    /** Batch {@code seq} of {@code ledger}'s phase; registers it with the ledger as due at {@code dueNanos}. */
    String batch(Ledger ledger, long seq, long dueNanos) {
        ledger.sending(seq, dueNanos);
        String timestamp = Instant.now().toString();
        StringBuilder json = new StringBuilder(batchSize * 220).append('[');
        for (int i = 0; i < batchSize; i++) {
            long n = seq * batchSize + i;
            String visitor = visitorPrefix + (n % visitors);
            if (i > 0) {
                json.append(',');
            }
            if (n % 2 == 0) {
                json.append("{\"type\":\"page\",\"channel\":\"web\"");
            } else {
                json.append("{\"type\":\"track\",\"event\":\"product_viewed\",\"channel\":\"app\"");
            }
            json.append(",\"identifiers\":{\"anonymousId\":\"").append(visitor).append("\"},\"messageId\":\"")
                    .append(ledger.messageId(seq, i)).append("\",\"timestamp\":\"").append(timestamp)
                    .append("\",\"properties\":{");
            String sku = "BENCH-SKU-" + (n % 500);
            if (n % 2 == 0) {
                json.append("\"path\":\"/products/").append(sku).append("\",\"referrer\":\"https://search.example/\"");
            } else {
                json.append("\"sku\":\"").append(sku).append("\",\"price\":49.9,\"currency\":\"EUR\"");
            }
            json.append("}}");
        }
        return json.append(']').toString();
    }
}
