-- The accept log is a queue like the outbox (platform migration V0_3): rows are appended by POST /api/events and
-- deleted by the resolver within moments. Vacuumed after every few thousand deletes instead of at 20 % of the
-- table's last estimated size, so the resolver's reads in seq order do not walk a burst's dead rows.
ALTER TABLE accepted_event SET (
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_insert_scale_factor = 0,
    autovacuum_vacuum_insert_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0);
