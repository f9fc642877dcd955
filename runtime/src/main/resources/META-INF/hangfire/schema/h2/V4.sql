-- Quarkus Hangfire schema, version 4, for H2: the due-time index of scheduled jobs no longer starts with the state
-- (scheduled_at is set only while a job is Scheduled), so state changes do not rewrite it.
CREATE INDEX IF NOT EXISTS ix_${prefix}job_due ON ${prefix}job (scheduled_at);
DROP INDEX IF EXISTS ix_${prefix}job_scheduled;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (4, CURRENT_TIMESTAMP);
