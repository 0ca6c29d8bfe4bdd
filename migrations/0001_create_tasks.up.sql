-- Tasks: the system of record. Every state change is a row-locked UPDATE (see
-- adapters/postgres), so the queue may deliver an id twice without a second transition.
CREATE TABLE tasks (
    id               uuid        PRIMARY KEY,
    type             text        NOT NULL,
    status           text        NOT NULL
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    params           jsonb,
    result           jsonb,
    error            jsonb,
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_retries      integer     NOT NULL DEFAULT 0 CHECK (max_retries >= 0),
    timeout_seconds  integer     NOT NULL CHECK (timeout_seconds >= 0),
    -- NULL when the client sent no key; NULLs never collide, so the plain unique
    -- constraint is what ON CONFLICT (idempotency_key) DO NOTHING relies on.
    idempotency_key  text        UNIQUE,
    client_id        text        NOT NULL DEFAULT '',
    cancel_requested boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz
);

-- Listing is keyset on id descending (ids are UUIDv7, so time-ordered), optionally
-- filtered by status or type; one index per filter keeps each page an index range scan.
CREATE INDEX tasks_status_id_idx ON tasks (status, id DESC);
CREATE INDEX tasks_type_id_idx ON tasks (type, id DESC);

-- The reconciler asks for tasks sitting in one status since before a cutoff, oldest first.
CREATE INDEX tasks_status_updated_at_idx ON tasks (status, updated_at);
