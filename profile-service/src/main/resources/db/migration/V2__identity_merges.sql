-- A merged profile keeps its rows (identifiers, timeline, consents, ...) and points at the profile that absorbed
-- it: reads gather every profile of a group, so an unmerge gives back exactly what each side brought.
ALTER TABLE profile ADD COLUMN survivor_id uuid;
UPDATE profile SET survivor_id = id;
ALTER TABLE profile ALTER COLUMN survivor_id SET NOT NULL;
-- the profile this one was merged into (the tree an unmerge walks); null while it stands alone
ALTER TABLE profile ADD COLUMN merged_into uuid REFERENCES profile (id);
ALTER TABLE profile ADD COLUMN erased_at timestamptz;
CREATE INDEX profile_survivor ON profile (survivor_id);
CREATE INDEX profile_merged_into ON profile (merged_into) WHERE merged_into IS NOT NULL;

-- One row per merge, with what each side owned at the time; an unmerge closes it.
CREATE TABLE profile_merge (
    id                   uuid PRIMARY KEY,
    survivor_id          uuid          NOT NULL REFERENCES profile (id),
    absorbed_id          uuid          NOT NULL REFERENCES profile (id),
    reason               varchar(1000) NOT NULL,
    -- {"survivor": [identifiers], "absorbed": [identifiers]} as each side held them at the merge
    contributions        jsonb         NOT NULL,
    merged_at            timestamptz   NOT NULL,
    unmerged_at          timestamptz,
    unmerge_reason       varchar(1000)
);
CREATE INDEX profile_merge_survivor ON profile_merge (survivor_id);
CREATE INDEX profile_merge_absorbed ON profile_merge (absorbed_id);

-- Profiles an operator split apart: identity resolution never merges them again on its own.
CREATE TABLE merge_block (
    profile_a  uuid        NOT NULL REFERENCES profile (id),
    profile_b  uuid        NOT NULL REFERENCES profile (id),
    merge_id   uuid        NOT NULL REFERENCES profile_merge (id),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (profile_a, profile_b)
);
CREATE INDEX merge_block_b ON merge_block (profile_b);

-- Why an event did not merge two profiles or did not attach an identifier (limit per type, blocked pair).
CREATE TABLE identity_refusal (
    id               uuid PRIMARY KEY,
    profile_id       uuid          NOT NULL REFERENCES profile (id),
    other_profile_id uuid REFERENCES profile (id),
    identifier_type  varchar(20)   NOT NULL,
    identifier_value varchar(320)  NOT NULL,
    reason           varchar(1000) NOT NULL,
    occurred_at      timestamptz   NOT NULL
);
CREATE INDEX identity_refusal_profile ON identity_refusal (profile_id, occurred_at DESC);
CREATE INDEX identity_refusal_other ON identity_refusal (other_profile_id) WHERE other_profile_id IS NOT NULL;

-- Segment rules count interactions by name within a window; the window sweep finds entries by name and time.
CREATE INDEX timeline_entry_profile_name_time ON timeline_entry (profile_id, name, occurred_at);
CREATE INDEX timeline_entry_name_time ON timeline_entry (name, occurred_at);
