-- awaiting_children: a parent (a research) parked as `scheduled`, off the queue and with
-- no run_at, until its child tasks have all ended; the child that ends last (or the
-- reconciler) wakes it. false for every other task, so ADD COLUMN with a constant default
-- rewrites nothing.
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS awaiting_children boolean NOT NULL DEFAULT false;
