package dev.omni.inventory.location;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/** A store, warehouse or the online DC: where stock is, where customers collect, what fulfils online orders. */
@Entity
public class Location extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public LocationType type;

    @Column(nullable = false)
    public double latitude;

    @Column(nullable = false)
    public double longitude;

    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    @Column(name = "pickup_enabled", nullable = false)
    public boolean pickupEnabled;

    @Column(name = "fulfils_online", nullable = false)
    public boolean fulfilsOnline;

    /** Open days (MONDAY..SUNDAY) to ranges such as {@code 10:00-20:00}; a closed day is absent. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "opening_hours", nullable = false)
    public Map<String, String> openingHours;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /**
     * Which of {@code ids} exist, and whether each offers pickup. A projection, not entities: a write transaction
     * that only checks references must not have locations in its session to flush.
     */
    public static Uni<Map<String, Boolean>> pickupByExistingId(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select l.id, l.pickupEnabled from Location l where l.id in :ids", Object[].class)
                        .setParameter("ids", ids).getResultList())
                .map(rows -> rows.stream().collect(Collectors.toMap(row -> (String) row[0], row -> (Boolean) row[1])));
    }

    public GeoPoint position() {
        return new GeoPoint(latitude, longitude);
    }

    public OpeningHours hours() {
        return OpeningHours.parse(openingHours);
    }
}
