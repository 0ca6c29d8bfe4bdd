-- Runs: one processing of a keyed piece of work (a search, a fetch), kept so identical
-- requests can reuse earlier artifacts. task_id has no foreign key on purpose: a run is an
-- audit record that may come from outside a task, and the insert stays one index lighter.
CREATE TABLE runs (
    id           uuid        PRIMARY KEY,
    scope        text        NOT NULL,
    key          text        NOT NULL,
    task_id      uuid,
    status       text        NOT NULL,
    artifact_ids uuid[]      NOT NULL DEFAULT '{}',
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL
);

-- HasBeenProcessed and LatestRunForKey: the newest run of a key.
CREATE INDEX runs_key_finished_at_idx ON runs (key, finished_at DESC);

-- Metrics and notes keep the order they were recorded in (position), which a name alone
-- would not: the same metric name may appear twice.
CREATE TABLE run_metrics (
    run_id   uuid             NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    position integer          NOT NULL,
    name     text             NOT NULL,
    value    double precision NOT NULL,
    PRIMARY KEY (run_id, position)
);

CREATE TABLE run_notes (
    run_id     uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    position   integer     NOT NULL,
    note       text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (run_id, position)
);
