package dev.omni.inventory.sku;

import java.util.Map;

public record SkuView(String sku, String productId, String name, Map<String, String> attributes) {

    public static SkuView of(Sku sku) {
        return new SkuView(sku.sku, sku.productId, sku.name, sku.attributes);
    }
}
