package dev.omni.profile.identity;

import dev.omni.platform.problem.Problems;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Finds the customer behind a profile id: the survivor of its group. Writers that must not race a merge lock the
 * survivor row; merges, unmerges, erasure, loyalty and identity resolution all do, so holding it freezes the
 * group.
 */
@ApplicationScoped
public class Profiles {

    private static final int LOCK_ATTEMPTS = 5;

    /** The survivor a profile id resolves to: 404 when unknown, 410 when erased. */
    public Uni<UUID> survivorOf(UUID id) {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(
                                "select p.survivorId, p.erasedAt from Profile p where p.id = ?1", Object[].class)
                        .setParameter(1, id)
                        .getSingleResultOrNull())
                .map(row -> {
                    if (row == null) {
                        throw Problems.notFound("no profile " + id);
                    }
                    if (row[1] != null) {
                        throw gone(id);
                    }
                    return (UUID) row[0];
                });
    }

    /** The survivor of {@code id}'s group, locked for the rest of the transaction. */
    public Uni<Profile> lockSurvivor(UUID id) {
        return lockSurvivor(id, 1);
    }

    private Uni<Profile> lockSurvivor(UUID id, int attempt) {
        return survivorOf(id).chain(root -> Panache.getSession()
                .chain(session -> session.find(Profile.class, root, LockModeType.PESSIMISTIC_WRITE))
                .chain(locked -> survivorOf(id).chain(now -> {
                    if (now.equals(root) && locked.erasedAt == null) {
                        return Uni.createFrom().item(locked);
                    }
                    if (attempt >= LOCK_ATTEMPTS) {
                        return Uni.createFrom().failure(new StaleGroupException(id));
                    }
                    return lockSurvivor(id, attempt + 1);
                })));
    }

    public static HttpProblem gone(UUID id) {
        return HttpProblem.builder().withStatus(Response.Status.GONE).withTitle("Gone")
                .withDetail("profile " + id + " was erased").build();
    }

    /**
     * The traits of a group as one customer: each profile's own traits overlaid, the most recently updated
     * absorbed profile over older ones, and the survivor's over all of them.
     */
    public static Map<String, Object> traits(List<Profile> group, UUID survivorId) {
        List<Profile> ordered = new ArrayList<>(group);
        ordered.sort(Comparator.comparing((Profile p) -> p.id.equals(survivorId))
                .thenComparing(p -> p.updatedAt));
        Map<String, Object> traits = new HashMap<>();
        ordered.forEach(p -> traits.putAll(p.traits));
        return traits;
    }

    /** Raised when a group keeps changing under a writer; the transaction is retried. */
    public static class StaleGroupException extends RuntimeException {
        StaleGroupException(UUID id) {
            super("the group of profile " + id + " kept changing");
        }
    }
}
