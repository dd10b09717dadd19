-- Shared by every service with a database (platform module). Versions 0.x belong to the platform;
-- a service's own migrations start at V1.

-- Transactional outbox: written in the same transaction as the state change, published by OutboxRelay.
CREATE TABLE outbox_event (
    id          uuid PRIMARY KEY,
    topic       varchar(200) NOT NULL,
    record_key  varchar(500) NOT NULL,
    event_type  varchar(200) NOT NULL,
    payload     text         NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX outbox_event_created_at ON outbox_event (created_at);

-- Consumer inbox: one row per (consumer, event id) so a redelivered event is a no-op.
CREATE TABLE processed_event (
    consumer     varchar(100) NOT NULL,
    event_id     uuid         NOT NULL,
    event_type   varchar(200) NOT NULL,
    subject      varchar(500) NOT NULL,
    processed_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_event_processed_at ON processed_event (processed_at);
