-- The answer to a POST sent with an Idempotency-Key, replayed when the same key comes again.
CREATE TABLE idempotent_request (
    scope        varchar(100) NOT NULL,
    key          varchar(200) NOT NULL,
    fingerprint  varchar(64)  NOT NULL,
    response     text,
    created_at   timestamptz  NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotent_request_created_at ON idempotent_request (created_at);
