-- Every consent decision is kept; the current state of a (channel, purpose) is its latest change.
CREATE TABLE consent_change (
    id             uuid PRIMARY KEY,
    profile_id     uuid          NOT NULL REFERENCES profile (id),
    channel        varchar(20)   NOT NULL,
    purpose        varchar(20)   NOT NULL,
    status         varchar(20)   NOT NULL,
    source_channel varchar(20)   NOT NULL,
    proof          varchar(2000),
    changed_at     timestamptz   NOT NULL,
    recorded_at    timestamptz   NOT NULL
);
CREATE INDEX consent_change_profile ON consent_change (profile_id, channel, purpose, changed_at DESC);

-- Favourites, cart lines and recently viewed items, written from any channel and read from any other.
CREATE TABLE continuity_item (
    profile_id uuid        NOT NULL REFERENCES profile (id),
    list       varchar(20) NOT NULL,
    sku        varchar(100) NOT NULL,
    quantity   integer     NOT NULL,
    channel    varchar(20) NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (profile_id, list, sku)
);

-- A conversation with customer service; its notes are what the next agent reads.
CREATE TABLE support_contact (
    id         uuid PRIMARY KEY,
    profile_id uuid         NOT NULL REFERENCES profile (id),
    channel    varchar(20)  NOT NULL,
    topic      varchar(200) NOT NULL,
    status     varchar(20)  NOT NULL,
    -- {"notes": [{at, author, channel, text}]}
    conversation jsonb      NOT NULL,
    opened_at  timestamptz  NOT NULL,
    updated_at timestamptz  NOT NULL
);
CREATE INDEX support_contact_profile ON support_contact (profile_id, updated_at DESC);
