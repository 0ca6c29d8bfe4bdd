-- Artifact metadata. The bytes live in the blob store under their sha256, so many rows may
-- share one sha256; nothing here is unique but the id.
CREATE TABLE artifacts (
    id           uuid        PRIMARY KEY,
    task_id      uuid        REFERENCES tasks (id),
    type         text        NOT NULL,
    content_type text        NOT NULL,
    size_bytes   bigint      NOT NULL CHECK (size_bytes >= 0),
    sha256       text        NOT NULL,
    created_at   timestamptz NOT NULL,
    metadata     jsonb
);

-- A task's artifacts, oldest first. Free-standing artifacts (task_id NULL) are never
-- listed this way, so they stay out of the index.
CREATE INDEX artifacts_task_id_created_at_idx ON artifacts (task_id, created_at, id)
    WHERE task_id IS NOT NULL;
