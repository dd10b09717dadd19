package dev.omni.profile.loyalty;

import dev.omni.platform.problem.Problems;
import dev.omni.profile.idempotency.IdempotencyKeys;
import dev.omni.profile.identity.ProfileGroupListener;
import dev.omni.profile.identity.Profiles;
import dev.omni.profile.tx.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;

/**
 * Points earned on orders from any channel and spent by redemption. The balance is the sum of the group's ledger
 * and every write holds the survivor's row lock, so concurrent redemptions are serialised and the balance never
 * goes below zero. An order earns once, whichever channels report it.
 */
@ApplicationScoped
public class LoyaltyService implements ProfileGroupListener {

    static final int LEDGER_SIZE = 100;
    private static final String EARN = """
            INSERT INTO loyalty_entry (id, profile_id, kind, points, balance_after, reference, channel, description, created_at)
            VALUES (?1, ?2, 'earn', ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT (reference) WHERE kind = 'earn' DO NOTHING""";

    private final Profiles profiles;
    private final LoyaltyConfig config;
    private final IdempotencyKeys idempotency;

    public LoyaltyService(Profiles profiles, LoyaltyConfig config, IdempotencyKeys idempotency) {
        this.profiles = profiles;
        this.config = config;
        this.idempotency = idempotency;
    }

    public Uni<LoyaltyView> view(UUID profileId) {
        return profiles.survivorOf(profileId).chain(root -> LoyaltyEntry.balance(root)
                .chain(balance -> LoyaltyEntry.ofGroup(root, LEDGER_SIZE).map(entries -> new LoyaltyView(root, balance,
                        entries.stream().map(LoyaltyView.Line::of).toList()))));
    }

    public Uni<Long> balance(UUID survivorId) {
        return LoyaltyEntry.balance(survivorId);
    }

    /** The points an order earns under the configured rules (0 when it earns nothing). */
    public long pointsFor(BigDecimal value, String currency, String channel) {
        if (value == null || value.compareTo(config.minimumOrderValue()) < 0 || value.signum() <= 0) {
            return 0;
        }
        String code = (currency == null ? config.defaultCurrency() : currency).toUpperCase(Locale.ROOT);
        BigDecimal perUnit = config.pointsPerUnit().get(code);
        if (perUnit == null) {
            return 0;
        }
        BigDecimal multiplier = config.channelMultipliers().getOrDefault(channel, BigDecimal.ONE);
        return value.multiply(perUnit).multiply(multiplier).setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /**
     * Earns points for an ingested order, inside the ingest transaction (which holds the survivor's lock).
     *
     * @param orderReference {@code order:<orderId>} or {@code message:<messageId>}; null when the order has no id
     */
    public Uni<Void> earn(UUID survivorId, String event, String channel, BigDecimal value, String currency,
            String orderReference, Instant at) {
        if (!config.orderEvents().contains(event)) {
            return Uni.createFrom().voidItem();
        }
        long points = pointsFor(value, currency, channel);
        if (points == 0) {
            return Uni.createFrom().voidItem();
        }
        return Transactions.flush().chain(() -> LoyaltyEntry.balance(survivorId)).chain(balance -> Panache.getSession()
                .chain(session -> session.createNativeQuery(EARN)
                        .setParameter(1, UUID.randomUUID())
                        .setParameter(2, survivorId)
                        .setParameter(3, points)
                        .setParameter(4, balance + points)
                        .setParameter(5, orderReference)
                        .setParameter(6, channel)
                        .setParameter(7, event + " " + value.toPlainString() + " "
                                + (currency == null ? config.defaultCurrency() : currency))
                        .setParameter(8, at.atOffset(ZoneOffset.UTC))
                        .executeUpdate())
                .replaceWithVoid());
    }

    public Uni<Redemption.Result> redeem(UUID profileId, Redemption.Request request, String idempotencyKey) {
        return Transactions.retrying(() -> idempotency.once("loyalty:" + profileId, idempotencyKey, request,
                Redemption.Result.class, () -> profiles.lockSurvivor(profileId)
                        .chain(root -> LoyaltyEntry.balance(root.id).chain(balance -> {
                            if (balance < request.points()) {
                                throw Problems.conflict("insufficient points: balance " + balance + ", asked "
                                        + request.points());
                            }
                            LoyaltyEntry entry = entry(root.id, LoyaltyEntry.REDEEM, -request.points(),
                                    balance - request.points(), Instant.now());
                            entry.reference = request.reference();
                            entry.channel = request.channel();
                            return entry.persist().map(ignored -> new Redemption.Result(entry.id, root.id,
                                    request.points(), entry.balanceAfter));
                        }))));
    }

    /**
     * After an unmerge each side keeps its own entries; points one side spent while merged may leave it below
     * zero, so the other side covers them with a transfer (the two sides' sum was not negative).
     */
    @Override
    public Uni<Void> unmerged(UUID survivorId, UUID restoredId, Instant at) {
        return LoyaltyEntry.balance(survivorId).chain(survivor -> LoyaltyEntry.balance(restoredId).chain(restored -> {
            if (survivor >= 0 && restored >= 0) {
                return Uni.createFrom().voidItem();
            }
            boolean survivorShort = survivor < 0;
            long deficit = -(survivorShort ? survivor : restored);
            UUID shortSide = survivorShort ? survivorId : restoredId;
            UUID coveringSide = survivorShort ? restoredId : survivorId;
            long covering = survivorShort ? restored : survivor;
            LoyaltyEntry in = entry(shortSide, LoyaltyEntry.TRANSFER, deficit, 0, at);
            in.description = "points spent while merged with " + coveringSide + ", covered at unmerge";
            LoyaltyEntry out = entry(coveringSide, LoyaltyEntry.TRANSFER, -deficit, covering - deficit, at);
            out.description = "points spent by " + shortSide + " while merged, covered at unmerge";
            return LoyaltyEntry.persist(in, out);
        }));
    }

    private static LoyaltyEntry entry(UUID profileId, String kind, long points, long balanceAfter, Instant at) {
        LoyaltyEntry entry = new LoyaltyEntry();
        entry.id = UUID.randomUUID();
        entry.profileId = profileId;
        entry.kind = kind;
        entry.points = points;
        entry.balanceAfter = balanceAfter;
        entry.createdAt = at;
        return entry;
    }
}
