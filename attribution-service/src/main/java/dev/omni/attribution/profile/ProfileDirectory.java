package dev.omni.attribution.profile;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The read side of profile changes: who was merged into whom, and who is in a segment. */
@ApplicationScoped
public class ProfileDirectory {

    private final Pool pool;

    public ProfileDirectory(Pool pool) {
        this.pool = pool;
    }

    public Uni<AliasMap> aliases() {
        return pool.query("SELECT absorbed_id, survivor_id FROM profile_alias").execute().map(rows -> {
            Map<String, String> edges = new HashMap<>();
            for (Row row : rows) {
                edges.put(row.getString("absorbed_id"), row.getString("survivor_id"));
            }
            return new AliasMap(edges);
        });
    }

    /** The profiles now in the segment, as ids they were stored under. */
    public Uni<Set<String>> segmentMembers(String segmentId) {
        return pool.preparedQuery("SELECT profile_id FROM segment_member WHERE segment_id = $1")
                .execute(Tuple.of(segmentId)).map(rows -> {
                    Set<String> members = new HashSet<>();
                    for (Row row : rows) {
                        members.add(row.getString("profile_id"));
                    }
                    return members;
                });
    }
}
