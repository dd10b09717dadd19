package dev.omni.profile.identity;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventType;
import dev.omni.contracts.profile.Identifier;
import dev.omni.contracts.profile.ProfileCreated;
import dev.omni.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Finds the profile a set of identifiers belongs to, creating it when none does, and attaches the identifiers it
 * did not know yet. Must run inside a transaction. When the identifiers point at several profiles the oldest
 * wins; merging the others into it is the profile-service issue's identity work.
 */
@ApplicationScoped
public class IdentityResolver {

    static final String SOURCE = "/profile-service";

    private final Outbox outbox;

    public IdentityResolver(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Profile> resolve(Map<IdentifierType, String> identifiers, Instant at) {
        List<ProfileIdentifier.Key> keys = identifiers.entrySet().stream()
                .map(e -> new ProfileIdentifier.Key(e.getKey().wire(), e.getValue()))
                .toList();
        return ProfileIdentifier.known(keys).chain(known -> {
            Set<UUID> owners = known.stream().map(k -> k.profileId).collect(Collectors.toSet());
            Uni<Profile> profile = owners.isEmpty() ? create(keys, at) : oldest(owners);
            Set<ProfileIdentifier.Key> knownKeys = known.stream()
                    .map(k -> new ProfileIdentifier.Key(k.type, k.value)).collect(Collectors.toSet());
            return profile.call(p -> attach(p, keys.stream().filter(k -> !knownKeys.contains(k)).toList(), at));
        });
    }

    private Uni<Profile> create(List<ProfileIdentifier.Key> keys, Instant at) {
        Profile profile = Profile.create(at);
        List<Identifier> ids = keys.stream().map(k -> new Identifier(k.type, k.value)).toList();
        return profile.<Profile>persist()
                .call(p -> outbox.publish(CloudEvent.of(EventType.PROFILE_CREATED, SOURCE, p.id.toString(),
                        new ProfileCreated(p.id.toString(), ids, at))));
    }

    private static Uni<Profile> oldest(Set<UUID> owners) {
        return Profile.<Profile>list("id in ?1", owners)
                .map(profiles -> profiles.stream().min(Comparator.comparing((Profile p) -> p.createdAt)
                        .thenComparing(p -> p.id)).orElseThrow());
    }

    private static Uni<Void> attach(Profile profile, List<ProfileIdentifier.Key> fresh, Instant at) {
        if (fresh.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ProfileIdentifier> rows = fresh.stream().map(k -> {
            ProfileIdentifier row = new ProfileIdentifier();
            row.type = k.type;
            row.value = k.value;
            row.profileId = profile.id;
            row.firstSeen = at;
            return row;
        }).toList();
        return ProfileIdentifier.persist(rows);
    }
}
