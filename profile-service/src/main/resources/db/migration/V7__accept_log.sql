-- POST /api/events accepts into this log in one statement and answers 202; IngestResolver drains it in batches
-- (resolve, timeline, outbox, continuity, dedupe) and deletes each row in the transaction that applied it.
CREATE TABLE accepted_event (
    seq          bigserial    PRIMARY KEY,
    batch_index  integer      NOT NULL,
    message_id   varchar(200),
    -- the event's JSON as it was validated; parsed again by the resolver
    payload      text         NOT NULL,
    -- a request on this instance waits for the resolution (to answer with the profileId)
    awaited      boolean      NOT NULL DEFAULT false,
    accepted_at  timestamptz  NOT NULL
);

-- An accepted event the resolver could not apply even alone: kept (never lost) with the error, for an operator.
CREATE TABLE accepted_event_failed (
    seq          bigint       PRIMARY KEY,
    message_id   varchar(200),
    payload      text         NOT NULL,
    accepted_at  timestamptz  NOT NULL,
    failed_at    timestamptz  NOT NULL,
    error        text         NOT NULL
);

-- A messageId is remembered when it is accepted, before its profile is known.
ALTER TABLE ingested_message ALTER COLUMN profile_id DROP NOT NULL;
