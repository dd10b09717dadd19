package dev.omni.inventory.profile;

import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.contracts.profile.ProfileUnmerged;
import dev.omni.platform.sql.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Which profile ids are one customer: a profile and, transitively, every profile merged into it. Merges are
 * recorded, not applied to rows, so an unmerge gives each side back exactly what it made.
 */
@ApplicationScoped
public class ProfileGroups {

    private static final String GROUP = "WITH RECURSIVE g(id) AS (SELECT CAST(?1 AS varchar) "
            + "UNION SELECT m.absorbed_profile_id FROM profile_merge m JOIN g ON m.survivor_profile_id = g.id) "
            + "SELECT id FROM g ORDER BY id";

    private final NativeSql sql;

    public ProfileGroups(NativeSql sql) {
        this.sql = sql;
    }

    /** {@code profileId} and every profile merged into it; call inside a session. */
    public Uni<List<String>> group(String profileId) {
        return sql.rows(GROUP, profileId).map(rows -> rows.stream().map(row -> (String) row[0]).toList());
    }

    Uni<Void> merged(ProfileMerged merged) {
        return sql.execute("INSERT INTO profile_merge (merge_id, absorbed_profile_id, survivor_profile_id) "
                        + "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", merged.mergeId(), merged.absorbedProfileId(),
                        merged.survivorProfileId())
                .replaceWithVoid();
    }

    Uni<Void> unmerged(ProfileUnmerged unmerged) {
        return sql.execute("DELETE FROM profile_merge WHERE merge_id = ?1", unmerged.mergeId()).replaceWithVoid();
    }

    /** Erasure: the group's merges are forgotten with the rest. */
    Uni<Void> forget(List<String> profileIds) {
        return sql.execute("DELETE FROM profile_merge WHERE absorbed_profile_id IN (?1) OR survivor_profile_id IN (?1)",
                profileIds).replaceWithVoid();
    }
}
