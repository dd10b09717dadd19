package dev.omni.profile.erasure;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.platform.outbox.Outbox;
import dev.omni.profile.identity.Profile;
import dev.omni.profile.identity.Profiles;
import dev.omni.profile.tx.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The right to erasure: a customer (the whole group, merged profiles included) loses every identifier, trait,
 * consent, continuity item, support note, timeline entry, ledger line and membership, and the identifiers kept in
 * merge records. The profile rows stay as tombstones (410 Gone), so the ids never resolve to anyone again; the
 * same identifiers seen later start a new profile. {@code omni.profile.erased} goes out for each profile id so
 * other services erase what they hold.
 */
@ApplicationScoped
public class ErasureService {

    private static final String SOURCE = "/profile-service";
    private static final String GROUP = "(SELECT id FROM profile WHERE survivor_id = ?1)";
    private static final List<String> ERASE = List.of(
            "DELETE FROM profile_identifier WHERE profile_id IN " + GROUP,
            "DELETE FROM continuity_item WHERE profile_id IN " + GROUP,
            "DELETE FROM consent_change WHERE profile_id IN " + GROUP,
            "DELETE FROM support_contact WHERE profile_id IN " + GROUP,
            "DELETE FROM timeline_entry WHERE profile_id IN " + GROUP,
            "DELETE FROM loyalty_entry WHERE profile_id IN " + GROUP,
            "DELETE FROM segment_member WHERE profile_id IN " + GROUP,
            "DELETE FROM identity_refusal WHERE profile_id IN " + GROUP + " OR other_profile_id IN " + GROUP,
            "UPDATE profile_merge SET contributions = '{\"survivor\": [], \"absorbed\": []}'::jsonb, "
                    + "reason = 'erased' WHERE survivor_id IN " + GROUP + " OR absorbed_id IN " + GROUP);

    private final Profiles profiles;
    private final Outbox outbox;

    public ErasureService(Profiles profiles, Outbox outbox) {
        this.profiles = profiles;
        this.outbox = outbox;
    }

    /** Erases the customer {@code profileId} belongs to; erasing again is a no-op. */
    public Uni<Void> erase(UUID profileId) {
        return Transactions.retrying(() -> Profile.<Profile>findById(profileId).chain(profile -> {
            if (profile != null && profile.erasedAt != null) {
                return Uni.createFrom().voidItem();
            }
            return profiles.lockSurvivor(profileId).chain(root -> Profile.group(root.id).chain(group -> {
                Instant now = Instant.now();
                return Panache.getSession()
                        .chain(session -> Multi.createFrom().iterable(ERASE)
                                .onItem().transformToUniAndConcatenate(sql -> session.createNativeQuery(sql)
                                        .setParameter(1, root.id).executeUpdate())
                                .collect().last())
                        .chain(() -> {
                            group.forEach(member -> {
                                member.traits = Map.of();
                                member.erasedAt = now;
                                member.updatedAt = now;
                            });
                            return Multi.createFrom().iterable(group)
                                    .onItem().transformToUniAndConcatenate(member -> outbox.publish(CloudEvent.of(
                                            EventType.PROFILE_ERASED, SOURCE, member.id.toString(),
                                            new ProfileErased(member.id.toString(), now))))
                                    .collect().last().replaceWithVoid();
                        });
            }));
        }));
    }
}
