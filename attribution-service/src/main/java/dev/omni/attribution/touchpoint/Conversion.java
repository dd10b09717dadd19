package dev.omni.attribution.touchpoint;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** An interaction with a value: an order online or at the till. */
@Entity
@Table(name = "conversion")
public class Conversion extends PanacheEntityBase {

    /** The id of the event it came from. */
    @Id
    public UUID id;

    @Column(name = "profile_id", nullable = false)
    public String profileId;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(nullable = false)
    public BigDecimal value;

    public String currency;

    @Column(nullable = false)
    public String channel;

    @Column(nullable = false)
    public boolean online;

    @Column(name = "event_name", nullable = false)
    public String eventName;

    public String campaign;
}
