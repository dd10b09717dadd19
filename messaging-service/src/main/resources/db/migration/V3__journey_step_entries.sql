-- A run entered a step: the durable record behind each step's "entered" in GET /api/journeys/{id}/stats.
-- One row per run and step (definitions have no cycles); a step run again after a crash adds nothing.
CREATE TABLE journey_step_entry (
    run_id     uuid         NOT NULL REFERENCES journey_run (id) ON DELETE CASCADE,
    step_id    varchar(100) NOT NULL,
    journey_id varchar(100) NOT NULL,
    entered_at timestamptz  NOT NULL,
    PRIMARY KEY (run_id, step_id)
);
CREATE INDEX journey_step_entry_journey ON journey_step_entry (journey_id, step_id);

-- The stats' per-journey aggregates read these instead of scanning every run and message.
CREATE INDEX journey_run_journey_status ON journey_run (journey_id, status);
CREATE INDEX message_journey_step ON message (journey_id, step_id) WHERE journey_id IS NOT NULL;
