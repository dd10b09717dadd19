package dev.omni.k8s;

import java.math.BigDecimal;

/** Memory quantities (e.g. 384Mi, 1Gi, 512M) in bytes, via fabric8's Quantity. */
final class Quantity {
    private Quantity() {
    }

    static long bytes(String quantity) {
        BigDecimal amount = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                new io.fabric8.kubernetes.api.model.Quantity(quantity));
        return amount.longValueExact();
    }
}
