-- Journeys kept up to date as events arrive (JourneyMaterializer): one row per journey and dimension, rewritten for
-- a profile in the transaction of every event that concerns it, so reports read journeys instead of touchpoints.
CREATE TABLE journey_path (
    id            uuid PRIMARY KEY,
    -- the surviving profile the journey belongs to
    owner_id      varchar(100)  NOT NULL,
    dimension     varchar(20)   NOT NULL,
    -- the conversion's instant, or the last touch's for a journey that did not convert
    end_at        timestamptz   NOT NULL,
    conversion_id uuid,
    value         numeric(14, 2),
    -- the touches' labels after session merging, oldest first, separated by U+001F; empty: a conversion without touches
    labels        text          NOT NULL,
    -- seconds from each touch to end_at, comma-separated
    ages          text          NOT NULL
);
CREATE INDEX journey_path_window ON journey_path (dimension, end_at);
CREATE INDEX journey_path_owner ON journey_path (owner_id);

-- With which lookback and session gap journey_path was built; another configuration rebuilds it at start.
CREATE TABLE journey_materialization (
    id          smallint     PRIMARY KEY,
    lookback    varchar(40)  NOT NULL,
    session_gap varchar(40)  NOT NULL,
    built_at    timestamptz  NOT NULL
);
