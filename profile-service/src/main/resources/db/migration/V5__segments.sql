CREATE TABLE segment (
    id              uuid PRIMARY KEY,
    name            varchar(200)  NOT NULL UNIQUE,
    description     varchar(2000),
    definition      jsonb         NOT NULL,
    created_at      timestamptz   NOT NULL,
    updated_at      timestamptz   NOT NULL,
    -- interactions older than (swept_until - window) have been taken into account
    swept_until     timestamptz   NOT NULL,
    -- existing profiles still to evaluate after a create or an update: keyset cursor, null when done
    backfill_cursor uuid,
    backfill_done   boolean       NOT NULL DEFAULT false,
    -- a replica sweeping this segment holds it until then, so replicas share segments rather than repeat them
    claimed_until   timestamptz
);

CREATE TABLE segment_member (
    segment_id uuid        NOT NULL REFERENCES segment (id) ON DELETE CASCADE,
    profile_id uuid        NOT NULL REFERENCES profile (id),
    entered_at timestamptz NOT NULL,
    PRIMARY KEY (segment_id, profile_id)
);
CREATE INDEX segment_member_profile ON segment_member (profile_id);
