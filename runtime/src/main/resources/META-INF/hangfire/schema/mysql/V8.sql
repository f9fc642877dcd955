-- Quarkus Hangfire schema, version 8, for MySQL 8.0+ and MariaDB 10.6+: a batch's page of one state costs the page.
-- Online: the column is added in place and the new index built without blocking writes before the old one goes; a
-- column or index that an interrupted run added already, or a drop it did, is passed over by the installer.

-- A batch's page of the jobs in one state (the dashboard's, JobMonitor.batchJobs) reads its entries in their order,
-- oldest created first, and so costs its offset and length, where the index on batch_id alone made it read all of the
-- batch's jobs and sort those in the state. The order is by creation time, then id, which the primary key cannot give:
-- no planner walks the primary key through every job looking for the batch's.
-- batch_state: the state of a job that belongs to a batch, null for the others (no partial indexes here), so that the
-- state changes of jobs of no batch leave this index alone.
ALTER TABLE ${prefix}job ADD COLUMN batch_state VARCHAR(20) AS (CASE WHEN batch_id IS NOT NULL THEN state END) VIRTUAL;
CREATE INDEX ix_${prefix}job_batch_state ON ${prefix}job (batch_id, batch_state, created_at, id);
DROP INDEX ix_${prefix}job_batch ON ${prefix}job;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (8, CURRENT_TIMESTAMP);
