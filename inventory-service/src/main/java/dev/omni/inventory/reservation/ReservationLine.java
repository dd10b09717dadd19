package dev.omni.inventory.reservation;

import dev.omni.inventory.stock.StockKey;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "reservation_line")
public class ReservationLine extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "reservation_id", nullable = false)
    public UUID reservationId;

    @Column(name = "line_no", nullable = false)
    public int lineNo;

    @Column(nullable = false)
    public String sku;

    @Column(name = "location_id", nullable = false)
    public String locationId;

    @Column(nullable = false)
    public int quantity;

    /** A store sale left less on hand than this line holds. */
    @Column(name = "at_risk", nullable = false)
    public boolean atRisk;

    public StockKey key() {
        return new StockKey(sku, locationId);
    }

    public static Uni<List<ReservationLine>> of(UUID reservationId) {
        return list("reservationId = ?1 order by lineNo", reservationId);
    }
}
