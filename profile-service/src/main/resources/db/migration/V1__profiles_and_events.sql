CREATE TABLE profile (
    id         uuid PRIMARY KEY,
    traits     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Every identifier resolves to exactly one profile.
CREATE TABLE profile_identifier (
    type       varchar(20)  NOT NULL,
    value      varchar(320) NOT NULL,
    profile_id uuid         NOT NULL REFERENCES profile (id),
    first_seen timestamptz  NOT NULL,
    PRIMARY KEY (type, value)
);
CREATE INDEX profile_identifier_profile ON profile_identifier (profile_id);

-- messageIds seen in the last 24 h: a repeat is accepted and ignored.
CREATE TABLE ingested_message (
    message_id  varchar(200) PRIMARY KEY,
    profile_id  uuid         NOT NULL,
    received_at timestamptz  NOT NULL
);
CREATE INDEX ingested_message_received_at ON ingested_message (received_at);

-- What happened to a profile on any channel, newest first: the 360 view and the support timeline read it.
CREATE TABLE timeline_entry (
    id          uuid PRIMARY KEY,
    profile_id  uuid         NOT NULL REFERENCES profile (id),
    channel     varchar(20)  NOT NULL,
    kind        varchar(20)  NOT NULL,
    name        varchar(200) NOT NULL,
    occurred_at timestamptz  NOT NULL,
    details     jsonb        NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX timeline_entry_profile_time ON timeline_entry (profile_id, occurred_at DESC);
