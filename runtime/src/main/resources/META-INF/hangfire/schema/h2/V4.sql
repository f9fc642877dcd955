-- Quarkus Hangfire schema, version 4, for H2: flow control (see flow-control.adoc), and cheaper indexes
-- for the job rows' state changes.
-- Online: the columns are added without rewriting the table; the new tables are empty.
-- The priority column of version 3 keeps its meaning (lower slot first): a job of priority p takes the slot -p, so
-- the claim's SQL and index stay as they were.

-- deadline: when a job not started by then is deleted instead of run; unique_key: the uniqueness key the job was
-- created with, shown on the dashboard (the key itself is held in job_unique while the job is in its window)
ALTER TABLE ${prefix}job ADD COLUMN IF NOT EXISTS deadline TIMESTAMP(6) NULL;
ALTER TABLE ${prefix}job ADD COLUMN IF NOT EXISTS unique_key VARCHAR(200) NULL;
-- the deadline sweep: WHERE deadline < ? AND state IN (...); a job's deadline is cleared when it finishes, and
-- the index leaves out the state so that state changes do not rewrite it
CREATE INDEX IF NOT EXISTS ix_${prefix}job_deadline ON ${prefix}job (deadline);

-- a unique key held by the job that has it: the primary key makes two creations racing for one key create one job;
-- expire_at: when a finished job's key is free again (its uniqueness period), null while the job holds it
CREATE TABLE IF NOT EXISTS ${prefix}job_unique (
    unique_key VARCHAR(200) NOT NULL,
    job_id BIGINT NOT NULL,
    while_processing INT NOT NULL,
    after_finish_ms BIGINT NOT NULL,
    expire_at TIMESTAMP(6) NULL,
    PRIMARY KEY (unique_key)
);
CREATE INDEX IF NOT EXISTS ix_${prefix}job_unique_job ON ${prefix}job_unique (job_id);

-- a paused queue: no server claims from it until it is resumed or paused_until passes
CREATE TABLE IF NOT EXISTS ${prefix}queue_pause (
    queue VARCHAR(50) NOT NULL,
    paused_by VARCHAR(200) NOT NULL,
    paused_at TIMESTAMP(6) NOT NULL,
    paused_until TIMESTAMP(6) NULL,
    PRIMARY KEY (queue)
);

-- a rate limit: the start times (epoch milliseconds) within its sliding window, locked by the claims it limits
CREATE TABLE IF NOT EXISTS ${prefix}rate_limit (
    name VARCHAR(200) NOT NULL,
    starts CHARACTER LARGE OBJECT NOT NULL,
    PRIMARY KEY (name)
);

-- Cheaper state changes. the due-time index of scheduled jobs no longer starts with the state
-- (scheduled_at is set only while a job is Scheduled), so state changes do not rewrite it.
CREATE INDEX IF NOT EXISTS ix_${prefix}job_due ON ${prefix}job (scheduled_at);
DROP INDEX IF EXISTS ix_${prefix}job_scheduled;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (4, CURRENT_TIMESTAMP);
