-- task_counts: how many tasks exist per (type, status), kept by the writes themselves so
-- GET /stats and /metrics read a few dozen rows instead of counting every task.
--
-- Rows are sharded so that concurrent writers never wait on one another's counter row:
-- a transaction adds its deltas to a shard it holds a transaction-scoped advisory lock on
-- (task_counts_shard), so no other transaction writes that shard's rows until it ends.
-- A plain pg_backend_pid() % N shard would let two connections with the same remainder
-- queue on one row, and deadlock when their transactions touch two (type, status) rows
-- in opposite orders (a batch that starts tasks, then finishes others). The read sums the
-- shards. A shard's n may go negative (a task inserted through one connection, finished
-- through another); only the sum means anything.
CREATE TABLE task_counts (
    type   text     NOT NULL,
    status text     NOT NULL,
    shard  integer  NOT NULL,
    n      bigint   NOT NULL,
    PRIMARY KEY (type, status, shard)
);

-- task_counts_shard returns a shard this transaction holds, trying the 32 shared shards
-- from the connection's own (pid % 32), so the first try almost always wins; the lock is
-- re-entrant, so a transaction's later statements find its shard again. It never waits:
-- when all 32 are held it answers 32 + pid, a row of this connection's own (free of
-- contention, as no two live connections share a pid). The advisory key's first half is
-- "task" in ASCII, apart from the blobs' "blob" locks (adapters/postgres/retention_store.go).
CREATE FUNCTION task_counts_shard() RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    first constant integer := pg_backend_pid() % 32;
BEGIN
    FOR i IN 0..31 LOOP
        IF pg_try_advisory_xact_lock(1952543595, (first + i) % 32) THEN
            RETURN (first + i) % 32;
        END IF;
    END LOOP;
    RETURN 32 + pg_backend_pid();
END $$;

-- The triggers are statement-level with transition tables: one function call and at most
-- one upsert per statement, however many rows the worker's batched UPDATE or the api's
-- multi-row INSERT writes. The deltas need no join of old and new rows: an old row counts
-- -1 and a new row +1 for its (type, status), so a row whose type and status stay as they
-- were cancels out, and HAVING drops the groups that sum to zero. A statement that moves
-- no task to another status (heartbeats, progress, cancel requests: most UPDATEs) thus
-- yields no row, so the INSERT takes no shard and touches no row of task_counts (the shard
-- is chosen per output group, after the aggregate).
CREATE FUNCTION task_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_counts AS c (type, status, shard, n)
    SELECT type, status, task_counts_shard(), count(*) FROM task_counts_new GROUP BY type, status
    ON CONFLICT (type, status, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE FUNCTION task_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_counts AS c (type, status, shard, n)
    SELECT type, status, task_counts_shard(), sum(d) FROM (
        SELECT type, status, -1 AS d FROM task_counts_old
        UNION ALL
        SELECT type, status, 1 FROM task_counts_new
    ) AS moved GROUP BY type, status HAVING sum(d) <> 0
    ON CONFLICT (type, status, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE FUNCTION task_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_counts AS c (type, status, shard, n)
    SELECT type, status, task_counts_shard(), -count(*) FROM task_counts_old GROUP BY type, status
    ON CONFLICT (type, status, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END $$;

-- TRUNCATE fires no row or DELETE trigger: it empties the counts with the table.
CREATE FUNCTION task_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM task_counts;
    RETURN NULL;
END $$;

-- The triggers and the backfill below run in one transaction (golang-migrate sends the
-- file as one query string, which PostgreSQL runs as one implicit transaction). The lock
-- holds writers off between the trigger's creation and the count, so no write is counted
-- twice or missed; readers go on. Writers wait for one GROUP BY over tasks, once.
LOCK TABLE tasks IN SHARE ROW EXCLUSIVE MODE;

CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks
    REFERENCING NEW TABLE AS task_counts_new
    FOR EACH STATEMENT EXECUTE FUNCTION task_counts_insert();
CREATE TRIGGER task_counts_update AFTER UPDATE ON tasks
    REFERENCING OLD TABLE AS task_counts_old NEW TABLE AS task_counts_new
    FOR EACH STATEMENT EXECUTE FUNCTION task_counts_update();
CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks
    REFERENCING OLD TABLE AS task_counts_old
    FOR EACH STATEMENT EXECUTE FUNCTION task_counts_delete();
CREATE TRIGGER task_counts_truncate AFTER TRUNCATE ON tasks
    FOR EACH STATEMENT EXECUTE FUNCTION task_counts_truncate();

INSERT INTO task_counts (type, status, shard, n)
SELECT type, status, 0, count(*) FROM tasks GROUP BY type, status;
