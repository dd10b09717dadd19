-- The 360 view's "last interaction per channel" skips from channel to channel through this index instead of sorting
-- a customer's whole timeline (54 ms for 10,600 entries before, 1 ms after).
CREATE INDEX timeline_entry_profile_channel_time ON timeline_entry (profile_id, channel, occurred_at DESC);
