package dev.omni.attribution.touchpoint;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** One marketing contact of a profile: a visit, an ad click, a store visit, a message opened or clicked. */
@Entity
@Table(name = "touchpoint")
public class Touchpoint extends PanacheEntityBase {

    /** The id of the event it came from. */
    @Id
    public UUID id;

    @Column(name = "profile_id", nullable = false)
    public String profileId;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(nullable = false)
    public String channel;

    @Column(nullable = false)
    public boolean direct;

    @Column(nullable = false)
    public boolean online;

    @Column(name = "event_name", nullable = false)
    public String eventName;

    public String campaign;

    public String source;

    public String medium;

    public BigDecimal cost;
}
