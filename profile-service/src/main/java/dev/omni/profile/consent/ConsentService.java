package dev.omni.profile.consent;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.profile.ConsentChanged;
import dev.omni.platform.outbox.Outbox;
import dev.omni.platform.problem.Problems;
import dev.omni.profile.idempotency.IdempotencyKeys;
import dev.omni.profile.identity.Profiles;
import dev.omni.profile.tx.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Records consent decisions per channel and purpose. Every decision is kept; {@code omni.profile.consent-changed}
 * is published when the current status of a channel and purpose changes. Revoking needs a grant to revoke.
 */
@ApplicationScoped
public class ConsentService {

    private static final String SOURCE = "/profile-service";

    private final Profiles profiles;
    private final Outbox outbox;
    private final IdempotencyKeys idempotency;

    public ConsentService(Profiles profiles, Outbox outbox, IdempotencyKeys idempotency) {
        this.profiles = profiles;
        this.outbox = outbox;
        this.idempotency = idempotency;
    }

    public Uni<ConsentView> view(UUID profileId) {
        return profiles.survivorOf(profileId).chain(root -> ConsentChange.history(root)
                .map(history -> ConsentView.of(root, history)));
    }

    public Uni<ConsentView> record(UUID profileId, ConsentRequest request, String idempotencyKey) {
        return Transactions.retrying(() -> idempotency.once("consent:" + profileId, idempotencyKey, request,
                ConsentView.class, () -> profiles.lockSurvivor(profileId)
                        .chain(root -> ConsentChange.history(root.id).chain(history -> {
                            Instant now = Instant.now();
                            ConsentChange before = ConsentChange.current(history).stream()
                                    .filter(c -> c.channel.equals(request.channel()) && c.purpose.equals(request.purpose()))
                                    .findFirst().orElse(null);
                            if ("revoked".equals(request.status()) && (before == null || !"granted".equals(before.status))) {
                                throw Problems.conflict("nothing to revoke: " + request.channel() + " " + request.purpose()
                                        + " consent is " + (before == null ? "not recorded" : before.status));
                            }
                            ConsentChange change = new ConsentChange();
                            change.id = UUID.randomUUID();
                            change.profileId = root.id;
                            change.channel = request.channel();
                            change.purpose = request.purpose();
                            change.status = request.status();
                            change.sourceChannel = request.sourceChannel();
                            change.proof = request.proof();
                            change.changedAt = request.changedAt() != null ? request.changedAt() : now;
                            change.recordedAt = now;
                            boolean changed = before == null || !Objects.equals(before.status, change.status);
                            return change.persist()
                                    .chain(() -> changed ? outbox.publish(CloudEvent.of(EventType.CONSENT_CHANGED, SOURCE,
                                            root.id.toString(), new ConsentChanged(root.id.toString(), change.channel,
                                                    change.purpose, change.status, change.sourceChannel,
                                                    change.changedAt))) : Uni.createFrom().voidItem())
                                    .chain(Transactions::flush)
                                    .chain(() -> ConsentChange.history(root.id))
                                    .map(all -> ConsentView.of(root.id, all));
                        }))));
    }
}
