-- The outbox is a queue: every row is inserted, claimed and deleted within moments, so the table is nearly empty at
-- rest and holds hundreds of thousands of rows during a burst. At the default scale factor autovacuum waits for
-- 20 % of the table's last estimated size in dead rows — after a burst, more than the next burst leaves — so dead rows
-- piled up (84,900 in profile-service's outbox, last vacuumed an hour and several bench runs earlier) and every
-- claim walked their index entries and heap tuples: 92 ms per claim where it took 4 ms on a vacuumed table
-- (docs/benchmarks.md, session 18). A fixed threshold and no cost delay vacuum it after every few thousand deletes.
ALTER TABLE outbox_event SET (
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_insert_scale_factor = 0,
    autovacuum_vacuum_insert_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0);
