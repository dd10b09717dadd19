package dev.omni.messaging.contact;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The latest consent of a profile for one channel and purpose. */
@Entity
@Table(name = "consent")
@IdClass(Consent.Key.class)
public class Consent extends PanacheEntityBase {

    public static final String GRANTED = "granted";

    @Id
    @Column(name = "profile_id")
    public UUID profileId;

    /** email, sms, push, chat, whatsapp or rcs, as profile-service records it. */
    @Id
    public String channel;

    /** marketing or transactional. */
    @Id
    public String purpose;

    /** granted, denied or revoked. */
    @Column(nullable = false)
    public String status;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    public static class Key implements Serializable {
        public UUID profileId;
        public String channel;
        public String purpose;

        public Key() {
        }

        public Key(UUID profileId, String channel, String purpose) {
            this.profileId = profileId;
            this.channel = channel;
            this.purpose = purpose;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(profileId, key.profileId)
                    && Objects.equals(channel, key.channel) && Objects.equals(purpose, key.purpose);
        }

        @Override
        public int hashCode() {
            return Objects.hash(profileId, channel, purpose);
        }
    }
}
