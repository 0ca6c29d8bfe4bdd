-- holder is the lease token of the delivery running the task ('' unless running). Every
-- write that ends an attempt is conditional on it, so a worker whose lease lapsed cannot
-- end or requeue the attempt of the worker that took the task over.
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS holder text NOT NULL DEFAULT '';
