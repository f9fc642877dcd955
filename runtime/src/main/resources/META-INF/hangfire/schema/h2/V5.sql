-- Quarkus Hangfire schema, version 5, for H2: a job that succeeds writes no history rows.
-- Its row stands for its newest states (history_pending counts them): the creation's Enqueued state (created_at), the
-- claim's Processing state (claimed_at, and the server named in the success's data) and the Succeeded state itself
-- (state, state_reason, state_changed_at and state_data). They are written to the history only when the job changes
-- state again (a requeue, say), and shown from the row until then. Version 5 also makes finished batches expire
-- (see batches.adoc).

-- state_data: the data of the job's current state while the history does not hold it (a success: its duration,
-- latency, server and result); claimed_at: when the job's latest claim took it (its Processing state)
ALTER TABLE ${prefix}job ADD COLUMN IF NOT EXISTS state_data CHARACTER LARGE OBJECT NULL;
ALTER TABLE ${prefix}job ADD COLUMN IF NOT EXISTS claimed_at TIMESTAMP(6) NULL;

-- The claim index leaves the jobs that do not wait alone. waiting_queue is the queue of an Enqueued job and null
-- otherwise: a claim moves the job's entry once (its waiting_queue becomes null) and its completion not at all, where
-- an index that starts with the state is rewritten by both.
ALTER TABLE ${prefix}job ADD COLUMN IF NOT EXISTS waiting_queue VARCHAR(50) NULL;
-- the claim: WHERE waiting_queue = ? ORDER BY priority, enqueued_at, id
CREATE INDEX IF NOT EXISTS ix_${prefix}job_waiting ON ${prefix}job (waiting_queue, priority, enqueued_at, id);
UPDATE ${prefix}job SET waiting_queue = queue WHERE state = 'ENQUEUED';
DROP INDEX IF EXISTS ix_${prefix}job_fetch;

-- the jobs claimed now: their claim is their current state
UPDATE ${prefix}job SET claimed_at = state_changed_at WHERE state = 'PROCESSING';

-- Finished batches expire.
-- expire_at: when a batch that reached a final state (Succeeded, Deleted) is removed, once its jobs and nested
-- batches are gone; null while it has not finished. Set once, as the batch finishes (now + the job expiration), and
-- moved later only by the expiration when a member outlives it: the counter updates that every member's state change
-- makes leave this index alone.
ALTER TABLE ${prefix}batch ADD COLUMN IF NOT EXISTS expire_at TIMESTAMP(6) NULL;
CREATE INDEX IF NOT EXISTS ix_${prefix}batch_expire ON ${prefix}batch (expire_at);
-- batches that finished before this version go as soon as nothing of them remains
UPDATE ${prefix}batch SET expire_at = state_changed_at WHERE state IN ('SUCCEEDED', 'DELETED') AND expire_at IS NULL;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (5, CURRENT_TIMESTAMP);
