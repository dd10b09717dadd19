-- What messaging knows of a profile, kept from omni.profiles: where to reach it and how to address it.
CREATE TABLE contact (
    profile_id  uuid PRIMARY KEY,
    email       varchar(320),
    phone       varchar(32),
    push_token  varchar(4096),
    locale      varchar(35),
    time_zone   varchar(64),
    traits      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    erased_at   timestamptz,
    updated_at  timestamptz NOT NULL
);

-- Latest consent per channel and purpose (granted, denied, revoked).
CREATE TABLE consent (
    profile_id  uuid        NOT NULL,
    channel     varchar(20) NOT NULL,
    purpose     varchar(20) NOT NULL,
    status      varchar(20) NOT NULL,
    changed_at  timestamptz NOT NULL,
    PRIMARY KEY (profile_id, channel, purpose)
);

-- Qute templates, one row per template, channel variant and locale.
CREATE TABLE message_template (
    template_id varchar(100) NOT NULL,
    channel     varchar(20)  NOT NULL,
    locale      varchar(35)  NOT NULL,
    subject     text,
    body_text   text         NOT NULL,
    body_html   text,
    updated_at  timestamptz  NOT NULL,
    PRIMARY KEY (template_id, channel, locale)
);

-- Every message, from guard decision to the last receipt; a queued/held/sending row is also the dispatch job.
CREATE TABLE message (
    id                  uuid PRIMARY KEY,
    profile_id          uuid         NOT NULL,
    channel             varchar(20)  NOT NULL,
    purpose             varchar(20)  NOT NULL,
    template_id         varchar(100) NOT NULL,
    locale              varchar(35),
    status              varchar(20)  NOT NULL,
    reason              varchar(40),
    detail              text,
    idempotency_key     varchar(300) UNIQUE,
    recipient           varchar(4096),
    subject             text,
    body_text           text,
    body_html           text,
    provider            varchar(100),
    provider_message_id varchar(300),
    journey_id          varchar(100),
    journey_run_id      uuid,
    step_id             varchar(100),
    campaign            varchar(200),
    send_after          timestamptz,
    lease_until         timestamptz,
    created_at          timestamptz  NOT NULL,
    updated_at          timestamptz  NOT NULL,
    sent_at             timestamptz,
    delivered_at        timestamptz,
    opened_at           timestamptz,
    clicked_at          timestamptz
);
CREATE INDEX message_due ON message (status, send_after) WHERE status IN ('QUEUED', 'HELD', 'SENDING');
CREATE INDEX message_profile_time ON message (profile_id, created_at DESC);
CREATE INDEX message_provider_id ON message (provider_message_id);
CREATE INDEX message_run_step ON message (journey_run_id, step_id);

-- Journey definitions, managed by API; the definition is the validated JSON document.
CREATE TABLE journey (
    id          varchar(100) PRIMARY KEY,
    name        varchar(200) NOT NULL,
    trigger_type varchar(40) NOT NULL,
    active      boolean      NOT NULL,
    definition  jsonb        NOT NULL,
    built_in    boolean      NOT NULL DEFAULT false,
    created_at  timestamptz  NOT NULL,
    updated_at  timestamptz  NOT NULL
);

-- One run of a journey for one profile; at most one active run per journey and profile.
CREATE TABLE journey_run (
    id           uuid PRIMARY KEY,
    journey_id   varchar(100) NOT NULL REFERENCES journey (id),
    profile_id   uuid         NOT NULL,
    status       varchar(20)  NOT NULL,
    current_step varchar(100),
    context      jsonb        NOT NULL DEFAULT '{}'::jsonb,
    end_reason   varchar(60),
    started_at   timestamptz  NOT NULL,
    updated_at   timestamptz  NOT NULL,
    ended_at     timestamptz
);
CREATE UNIQUE INDEX journey_run_one_active ON journey_run (journey_id, profile_id) WHERE status = 'ACTIVE';
CREATE INDEX journey_run_profile ON journey_run (profile_id);

-- Durable timers: a row per run waiting on a step, picked with FOR UPDATE SKIP LOCKED when due.
CREATE TABLE journey_timer (
    id         uuid PRIMARY KEY,
    run_id     uuid         NOT NULL REFERENCES journey_run (id) ON DELETE CASCADE,
    step_id    varchar(100) NOT NULL,
    due_at     timestamptz  NOT NULL,
    attempts   int          NOT NULL DEFAULT 0,
    created_at timestamptz  NOT NULL
);
CREATE INDEX journey_timer_due ON journey_timer (due_at);
CREATE INDEX journey_timer_run ON journey_timer (run_id);
