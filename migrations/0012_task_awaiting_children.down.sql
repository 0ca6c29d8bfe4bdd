ALTER TABLE tasks DROP COLUMN IF EXISTS awaiting_children;
