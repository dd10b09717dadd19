-- Points ledger: the balance of a profile is the sum of its group's entries, never below zero.
CREATE TABLE loyalty_entry (
    id            uuid PRIMARY KEY,
    profile_id    uuid         NOT NULL REFERENCES profile (id),
    kind          varchar(20)  NOT NULL,
    points        bigint       NOT NULL,
    balance_after bigint       NOT NULL,
    reference     varchar(200),
    channel       varchar(20),
    description   varchar(500),
    created_at    timestamptz  NOT NULL
);
CREATE INDEX loyalty_entry_profile ON loyalty_entry (profile_id, created_at DESC);
-- an order earns once, whichever channels report it
CREATE UNIQUE INDEX loyalty_entry_earned_order ON loyalty_entry (reference) WHERE kind = 'earn';
