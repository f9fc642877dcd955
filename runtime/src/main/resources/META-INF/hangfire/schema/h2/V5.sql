-- Quarkus Hangfire schema, version 5, for H2: finished batches expire (see batches.adoc).
-- Online: the column is added without rewriting the table.

-- expire_at: when a batch that reached a final state (Succeeded, Deleted) is removed, once its jobs and nested
-- batches are gone; null while it has not finished. Set once, as the batch finishes (now + the job expiration), and
-- moved later only by the expiration when a member outlives it: the counter updates that every member's state change
-- makes leave this index alone.
ALTER TABLE ${prefix}batch ADD COLUMN IF NOT EXISTS expire_at TIMESTAMP(6) NULL;
CREATE INDEX IF NOT EXISTS ix_${prefix}batch_expire ON ${prefix}batch (expire_at);
-- batches that finished before this version go as soon as nothing of them remains
UPDATE ${prefix}batch SET expire_at = state_changed_at WHERE state IN ('SUCCEEDED', 'DELETED') AND expire_at IS NULL;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (5, CURRENT_TIMESTAMP);
