-- Quarkus Hangfire schema, version 4, for PostgreSQL: flow control (see flow-control.adoc), and cheaper indexes
-- for the job rows' state changes.
-- Online: the columns are added without rewriting the table; the new tables are empty.
-- The priority column of version 3 keeps its meaning (lower slot first): a job of priority p takes the slot -p, so
-- the claim's SQL and index stay as they were.

-- deadline: when a job not started by then is deleted instead of run; unique_key: the uniqueness key the job was
-- created with, shown on the dashboard (the key itself is held in job_unique while the job is in its window)
ALTER TABLE ${prefix}job ADD COLUMN IF NOT EXISTS deadline TIMESTAMP(6) NULL;
ALTER TABLE ${prefix}job ADD COLUMN IF NOT EXISTS unique_key VARCHAR(200) NULL;
-- the deadline sweep: WHERE deadline < ? AND state IN (...); only jobs given a deadline are in it, and a job
-- leaves it when it finishes (its deadline is cleared)
CREATE INDEX IF NOT EXISTS ix_${prefix}job_deadline ON ${prefix}job (deadline) WHERE deadline IS NOT NULL;

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
    starts TEXT NOT NULL,
    PRIMARY KEY (name)
);

-- Cheaper state changes. the job table's indexes on columns that are empty for most of
-- a job's life become partial. Every state change writes a new row version, and PostgreSQL adds an entry for it to
-- each index whose predicate it meets: with these predicates a claim (Processing, a lease) and a completion
-- (Succeeded, an expiry) each add three or four index entries instead of seven.
-- scheduled_at is set only while a job is Scheduled; the delayed-job scheduler asks for scheduled_at <= ?, which
-- implies the predicate. The same holds for the lease watchdog (lease_until < ?), expiration (expire_at < ?) and
-- continuations (parent_id = ? or IN (...)).
CREATE INDEX IF NOT EXISTS ix_${prefix}job_due ON ${prefix}job (scheduled_at) WHERE scheduled_at IS NOT NULL;
DROP INDEX IF EXISTS ix_${prefix}job_scheduled;
DROP INDEX IF EXISTS ix_${prefix}job_lease;
CREATE INDEX ix_${prefix}job_lease ON ${prefix}job (lease_until) WHERE lease_until IS NOT NULL;
DROP INDEX IF EXISTS ix_${prefix}job_expire;
CREATE INDEX ix_${prefix}job_expire ON ${prefix}job (expire_at) WHERE expire_at IS NOT NULL;
DROP INDEX IF EXISTS ix_${prefix}job_parent;
CREATE INDEX ix_${prefix}job_parent ON ${prefix}job (parent_id) WHERE parent_id IS NOT NULL;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (4, CURRENT_TIMESTAMP);
