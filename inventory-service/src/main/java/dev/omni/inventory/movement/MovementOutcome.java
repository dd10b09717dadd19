package dev.omni.inventory.movement;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.omni.inventory.stock.StockPicture;

/**
 * What became of one movement: {@code APPLIED}; {@code DUPLICATE} (its id was seen before: the first outcome's
 * picture, nothing applied again); {@code REJECTED} (from Kafka only: its compare-and-set failed, nothing applied).
 *
 * @param stock the quantities of the movement's sku@location right after it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MovementOutcome(Integer index, String movementId, Status status, StockPicture stock, String reason) {

    public enum Status {
        APPLIED, DUPLICATE, REJECTED
    }

    MovementOutcome at(int position) {
        return new MovementOutcome(position, movementId, status, stock, reason);
    }
}
