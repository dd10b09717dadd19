package dev.omni.profile.consent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One consent decision, kept forever (until erasure): the latest per channel and purpose is the current one. */
@Entity
@Table(name = "consent_change")
public class ConsentChange extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    /** email, sms, push, rcs, whatsapp */
    @Column(nullable = false)
    public String channel;

    /** marketing, transactional */
    @Column(nullable = false)
    public String purpose;

    /** granted, denied, revoked */
    @Column(nullable = false)
    public String status;

    /** Where the customer gave or withdrew it: web, app, store, call_centre, ... */
    @Column(name = "source_channel", nullable = false)
    public String sourceChannel;

    /** What the customer saw and agreed to, or how they said no. */
    public String proof;

    /** When the customer decided. */
    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    /** When we learnt it. */
    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    /** Every change of a group (survivor and merged profiles), newest first. */
    public static Uni<List<ConsentChange>> history(UUID survivorId) {
        return list("profileId in (select p.id from Profile p where p.survivorId = ?1) "
                + "order by changedAt desc, recordedAt desc, id", survivorId);
    }

    /** The latest change per channel and purpose: after a merge, the most recent decision of either side wins. */
    public static List<ConsentChange> current(List<ConsentChange> history) {
        Map<String, ConsentChange> latest = new LinkedHashMap<>();
        history.forEach(change -> latest.putIfAbsent(change.channel + '/' + change.purpose, change));
        return new ArrayList<>(latest.values());
    }
}
