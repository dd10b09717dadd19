-- A mark is a row of its own, no longer one row per profile. With the primary key a mark for a profile already marked
-- was an INSERT … ON CONFLICT DO NOTHING: it cost a unique-index check against every dead version of that profile's
-- earlier marks (12 % of a core at 5,000 events/s, docs/benchmarks.md session 20), and it left nothing of its own —
-- a refresh could claim the earlier mark and read the touchpoints before the event's transaction committed, and the
-- profile stayed stale with no mark. Now every event's transaction inserts its own mark, which a refresh claims only
-- once it is committed and so only when it also reads the event. A refresh claims every mark of a profile at once.
ALTER TABLE journey_stale DROP CONSTRAINT journey_stale_pkey;
