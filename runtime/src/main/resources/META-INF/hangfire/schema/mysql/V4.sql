-- Quarkus Hangfire schema, version 4, for MySQL 8.0+ and MariaDB 10.6+: the due-time index of scheduled jobs no
-- longer starts with the state. scheduled_at is set only while a job is Scheduled, so the index on it alone serves
-- the delayed-job scheduler (WHERE scheduled_at <= ?) and, unlike (state, scheduled_at), is not rewritten by every
-- state change: a claim and a completion each touch two index entries fewer.
-- Online: the new index is built without blocking writes before the old one goes; a drop that an interrupted run
-- did already is passed over by the installer.
CREATE INDEX ix_${prefix}job_due ON ${prefix}job (scheduled_at);
DROP INDEX ix_${prefix}job_scheduled ON ${prefix}job;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (4, CURRENT_TIMESTAMP);
