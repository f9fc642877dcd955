-- Quarkus Hangfire schema, version 8: a batch's page of one state costs the page.
-- One transaction, all or nothing (see index.adoc on the migration's lock).

-- A batch's page of the jobs in one state (the dashboard's, JobMonitor.batchJobs) reads its entries in their order,
-- oldest created first, and so costs its offset and length, where the index without that order made it read and sort
-- all of the batch's jobs in the state. The order is by creation time, then id, which the primary key cannot give: no
-- planner walks the primary key through every job looking for the batch's (PostgreSQL's did for ORDER BY id, when it
-- estimated that most jobs were the batch's).
CREATE INDEX IF NOT EXISTS ix_${prefix}job_batch_state ON ${prefix}job (batch_id, state, created_at, id);
DROP INDEX IF EXISTS ix_${prefix}job_batch;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (8, CURRENT_TIMESTAMP);
