package dev.omni.profile.ingest;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A messageId already ingested, remembered for the dedupe window. */
@Entity
@Table(name = "ingested_message")
public class IngestedMessage extends PanacheEntityBase {

    static final Duration DEDUPE_WINDOW = Duration.ofHours(24);

    @Id
    @Column(name = "message_id")
    public String messageId;

    @Column(name = "profile_id")
    public UUID profileId;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    static Uni<IngestedMessage> recent(String messageId, Instant now) {
        return find("messageId = ?1 and receivedAt > ?2", messageId, now.minus(DEDUPE_WINDOW)).firstResult();
    }
}
