package dev.omni.profile.loyalty;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A line of the points ledger: earned (positive), redeemed (negative), or moved between profiles by an unmerge. */
@Entity
@Table(name = "loyalty_entry")
public class LoyaltyEntry extends PanacheEntityBase {

    public static final String EARN = "earn";
    public static final String REDEEM = "redeem";
    public static final String TRANSFER = "transfer";

    @Id
    public UUID id;

    @Column(name = "profile_id", nullable = false)
    public UUID profileId;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public long points;

    /** The group's balance once this entry was written. */
    @Column(name = "balance_after", nullable = false)
    public long balanceAfter;

    /** What it is for: {@code order:<id>} for an earn (unique), the caller's reference for a redemption. */
    public String reference;

    public String channel;

    public String description;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The balance of a group: the sum of its profiles' entries. */
    static Uni<Long> balance(UUID survivorId) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select coalesce(sum(e.points), 0L) from LoyaltyEntry e "
                                + "where e.profileId in (select p.id from Profile p where p.survivorId = ?1)", Long.class)
                .setParameter(1, survivorId).getSingleResult());
    }

    static Uni<List<LoyaltyEntry>> ofGroup(UUID survivorId, int limit) {
        return find("profileId in (select p.id from Profile p where p.survivorId = ?1) order by createdAt desc, id",
                survivorId).page(0, limit).list();
    }
}
