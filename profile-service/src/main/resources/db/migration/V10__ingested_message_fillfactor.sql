-- The resolver sets each remembered messageId's profile a moment after the accept inserted it (IngestResolver's
-- REMEMBER), and the pages it was inserted into were full: 84 % of those updates wrote a new row version elsewhere
-- and a new entry in both indexes (326,962 of 2,007,240 were heap-only in pg_stat_user_tables, docs/benchmarks.md
-- session 19). Pages filled to 70 % leave room for the updated row beside the old one: a heap-only update, no index
-- entries.
ALTER TABLE ingested_message SET (fillfactor = 70);
