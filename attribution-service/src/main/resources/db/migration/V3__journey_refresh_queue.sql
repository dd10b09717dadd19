-- Profiles whose journeys are out of date: consuming a touchpoint or a conversion marks its profile here, in the
-- event's transaction, instead of rebuilding the profile's journeys there and then. JourneyMaterializer rebuilds the
-- marked profiles every omni.attribution.journey-refresh-interval, and before a report reads journey_path. A
-- customer's burst of page views costs one rebuild per interval instead of one per poll (each rebuild reads every
-- touch of the profile's journeys, so per poll it grew with the journey: docs/benchmarks.md, session 19).
CREATE TABLE journey_stale (
    profile_id varchar(100) PRIMARY KEY,
    marked_at  timestamptz  NOT NULL DEFAULT now()
);

-- A queue: rows are inserted and deleted within seconds; vacuumed after every few thousand, as the outbox is.
ALTER TABLE journey_stale SET (
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_insert_scale_factor = 0,
    autovacuum_vacuum_insert_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0);
