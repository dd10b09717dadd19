package dev.omni.attribution.touchpoint;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Reads touchpoints and conversions in time windows straight from the reactive client (no entities): reports read
 * many rows and only need them as values.
 */
@ApplicationScoped
public class TouchpointStore {

    /** The columns of a {@link TouchpointView}, in its order, and the table. */
    public static final String TOUCHPOINT_COLUMNS = "id, profile_id, occurred_at, channel, direct, online, event_name,"
            + " campaign, source, medium, cost FROM touchpoint";
    /** The columns of a {@link ConversionView}, in its order, and the table. */
    public static final String CONVERSION_COLUMNS = "id, profile_id, occurred_at, value, currency, channel, online,"
            + " event_name, campaign FROM conversion";

    private final Pool pool;

    public TouchpointStore(Pool pool) {
        this.pool = pool;
    }

    /** Touchpoints with {@code from <= occurredAt < to}. */
    public Uni<List<TouchpointView>> touchpoints(Instant from, Instant to) {
        return pool.preparedQuery("SELECT " + TOUCHPOINT_COLUMNS + " WHERE occurred_at >= $1 AND occurred_at < $2")
                .execute(Tuple.of(utc(from), utc(to)))
                .map(rows -> map(rows, TouchpointStore::touchpoint));
    }

    /** Touchpoints of the given profiles with {@code from <= occurredAt < to}, oldest first. */
    public Uni<List<TouchpointView>> touchpoints(Collection<String> profileIds, Instant from, Instant to) {
        return pool.preparedQuery("SELECT " + TOUCHPOINT_COLUMNS
                        + " WHERE profile_id = ANY($1) AND occurred_at >= $2 AND occurred_at < $3 ORDER BY occurred_at, id")
                .execute(Tuple.of(profileIds.toArray(String[]::new), utc(from), utc(to)))
                .map(rows -> map(rows, TouchpointStore::touchpoint));
    }

    /** Conversions with {@code from <= occurredAt < to}. */
    public Uni<List<ConversionView>> conversions(Instant from, Instant to) {
        return pool.preparedQuery("SELECT " + CONVERSION_COLUMNS + " WHERE occurred_at >= $1 AND occurred_at < $2")
                .execute(Tuple.of(utc(from), utc(to)))
                .map(rows -> map(rows, TouchpointStore::conversion));
    }

    /** Conversions of the given profiles with {@code from <= occurredAt < to}, oldest first. */
    public Uni<List<ConversionView>> conversions(Collection<String> profileIds, Instant from, Instant to) {
        return pool.preparedQuery("SELECT " + CONVERSION_COLUMNS
                        + " WHERE profile_id = ANY($1) AND occurred_at >= $2 AND occurred_at < $3 ORDER BY occurred_at, id")
                .execute(Tuple.of(profileIds.toArray(String[]::new), utc(from), utc(to)))
                .map(rows -> map(rows, TouchpointStore::conversion));
    }

    /**
     * The known cost of the touchpoints with {@code from <= occurredAt < to}, summed per (channel, direct, campaign,
     * source, medium) — everything a dimension labels by — as touchpoints without id, profile or time.
     */
    public Uni<List<TouchpointView>> costs(Instant from, Instant to) {
        return pool.preparedQuery("SELECT channel, direct, online, campaign, source, medium, sum(cost) AS cost"
                        + " FROM touchpoint WHERE cost IS NOT NULL AND occurred_at >= $1 AND occurred_at < $2"
                        + " GROUP BY channel, direct, online, campaign, source, medium")
                .execute(Tuple.of(utc(from), utc(to)))
                .map(rows -> map(rows, row -> new TouchpointView(null, null, null, row.getString("channel"),
                        row.getBoolean("direct"), row.getBoolean("online"), null, row.getString("campaign"),
                        row.getString("source"), row.getString("medium"), row.getBigDecimal("cost"))));
    }

    private static TouchpointView touchpoint(Row row) {
        return new TouchpointView(row.getUUID("id"), row.getString("profile_id"),
                row.getOffsetDateTime("occurred_at").toInstant(), row.getString("channel"), row.getBoolean("direct"),
                row.getBoolean("online"), row.getString("event_name"), row.getString("campaign"),
                row.getString("source"), row.getString("medium"), row.getBigDecimal("cost"));
    }

    private static ConversionView conversion(Row row) {
        return new ConversionView(row.getUUID("id"), row.getString("profile_id"),
                row.getOffsetDateTime("occurred_at").toInstant(), row.getBigDecimal("value"), row.getString("currency"),
                row.getString("channel"), row.getBoolean("online"), row.getString("event_name"),
                row.getString("campaign"));
    }

    private static <T> List<T> map(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> list = new ArrayList<>(rows.size());
        for (Row row : rows) {
            list.add(mapper.apply(row));
        }
        return list;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
