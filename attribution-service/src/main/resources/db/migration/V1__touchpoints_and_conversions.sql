-- Every marketing contact of a profile, online or offline; the id is the event id it came from.
CREATE TABLE touchpoint (
    id          uuid PRIMARY KEY,
    profile_id  varchar(100)  NOT NULL,
    occurred_at timestamptz   NOT NULL,
    channel     varchar(20)   NOT NULL,
    -- a web/app visit with no source, medium, campaign or referrer: last-non-direct skips it
    direct      boolean       NOT NULL,
    online      boolean       NOT NULL,
    event_name  varchar(200)  NOT NULL,
    campaign    varchar(200),
    source      varchar(200),
    medium      varchar(200),
    cost        numeric(14, 4)
);
CREATE INDEX touchpoint_occurred_at ON touchpoint (occurred_at);
CREATE INDEX touchpoint_profile ON touchpoint (profile_id, occurred_at);

-- Interactions with a value (orders online or at the till); the id is the event id it came from.
CREATE TABLE conversion (
    id          uuid PRIMARY KEY,
    profile_id  varchar(100)  NOT NULL,
    occurred_at timestamptz   NOT NULL,
    value       numeric(14, 2) NOT NULL,
    currency    varchar(3),
    channel     varchar(20)   NOT NULL,
    online      boolean       NOT NULL,
    event_name  varchar(200)  NOT NULL,
    campaign    varchar(200)
);
CREATE INDEX conversion_occurred_at ON conversion (occurred_at);
CREATE INDEX conversion_profile ON conversion (profile_id, occurred_at);

-- Merges as edges (absorbed -> survivor), resolved when journeys are read: a touchpoint keeps the id it came
-- with, so an unmerge only deletes its edge and late events of an absorbed id still join the survivor.
CREATE TABLE profile_alias (
    absorbed_id varchar(100) PRIMARY KEY,
    survivor_id varchar(100) NOT NULL,
    merge_id    varchar(100) NOT NULL,
    merged_at   timestamptz  NOT NULL
);
CREATE INDEX profile_alias_survivor ON profile_alias (survivor_id);

-- Erased profiles: their data is deleted and events still in flight for them are dropped.
CREATE TABLE erased_profile (
    profile_id varchar(100) PRIMARY KEY,
    erased_at  timestamptz  NOT NULL
);

-- Current segment members, for visit frequency per segment.
CREATE TABLE segment_member (
    segment_id   varchar(100) NOT NULL,
    profile_id   varchar(100) NOT NULL,
    segment_name varchar(200),
    entered_at   timestamptz  NOT NULL,
    PRIMARY KEY (segment_id, profile_id)
);
CREATE INDEX segment_member_profile ON segment_member (profile_id);
