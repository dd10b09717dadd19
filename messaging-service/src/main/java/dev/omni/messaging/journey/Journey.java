package dev.omni.messaging.journey;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;

/** A stored, validated journey definition. */
@Entity
@Table(name = "journey")
public class Journey extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(name = "trigger_type", nullable = false)
    public String triggerType;

    @Column(nullable = false)
    public boolean active;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> definition;

    @Column(name = "built_in", nullable = false)
    public boolean builtIn;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public JourneyDefinition parsed() {
        return JourneyJson.MAPPER.convertValue(definition, JourneyDefinition.class);
    }
}
