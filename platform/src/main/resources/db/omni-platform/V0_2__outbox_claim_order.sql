-- OutboxRelay claims the head of the outbox ORDER BY created_at, id. With an index on created_at alone the planner
-- sorted the whole table for every claim: after a backlog had left the table large, each claim of 500 rows was a
-- 60 ms sequential scan of 65 MB (docs/benchmarks.md, session 12). An index in the claim's order reads the head only.
CREATE INDEX outbox_event_claim_order ON outbox_event (created_at, id);
DROP INDEX outbox_event_created_at;
