-- Quarkus Hangfire schema, version 4, for MySQL 8.0+ and MariaDB 10.6+: flow control (see flow-control.adoc), batches
-- (batches.adoc), and cheaper indexes for the job rows' state changes.
-- Online: the columns are added in place and the index built without blocking writes; the new tables are empty.
-- The priority column of version 3 keeps its meaning (lower slot first): a job of priority p takes the slot -p, so
-- the claim's SQL and index stay as they were.

-- deadline: when a job not started by then is deleted instead of run; unique_key: the uniqueness key the job was
-- created with, shown on the dashboard (the key itself is held in job_unique while the job is in its window)
ALTER TABLE ${prefix}job ADD COLUMN deadline DATETIME(6) NULL;
ALTER TABLE ${prefix}job ADD COLUMN unique_key VARCHAR(200) NULL;
-- the deadline sweep: a generated column holds the deadline of a job that waits to start (Enqueued, Scheduled,
-- Awaiting) and is empty otherwise; its index is rewritten only when a job with a deadline starts or finishes,
-- never for the jobs that have none, and the sweep reads only jobs that wait (WHERE waiting_deadline < ?)
ALTER TABLE ${prefix}job ADD COLUMN waiting_deadline DATETIME(6)
    AS (CASE WHEN state IN ('ENQUEUED', 'SCHEDULED', 'AWAITING') THEN deadline END) VIRTUAL;
CREATE INDEX ix_${prefix}job_deadline ON ${prefix}job (waiting_deadline);

-- a unique key held by the job that has it: the primary key makes two creations racing for one key create one job;
-- expire_at: when a finished job's key is free again (its uniqueness period), null while the job holds it
CREATE TABLE IF NOT EXISTS ${prefix}job_unique (
    unique_key VARCHAR(200) NOT NULL,
    job_id BIGINT NOT NULL,
    while_processing INT NOT NULL,
    after_finish_ms BIGINT NOT NULL,
    expire_at DATETIME(6) NULL,
    PRIMARY KEY (unique_key),
    INDEX ix_${prefix}job_unique_job (job_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- a paused queue: no server claims from it until it is resumed or paused_until passes
CREATE TABLE IF NOT EXISTS ${prefix}queue_pause (
    queue VARCHAR(50) NOT NULL,
    paused_by VARCHAR(200) NOT NULL,
    paused_at DATETIME(6) NOT NULL,
    paused_until DATETIME(6) NULL,
    PRIMARY KEY (queue)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- a rate limit: the start times (epoch milliseconds) within its sliding window, locked by the claims it limits
CREATE TABLE IF NOT EXISTS ${prefix}rate_limit (
    name VARCHAR(200) NOT NULL,
    starts LONGTEXT NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Cheaper state changes. the due-time index of scheduled jobs no
-- longer starts with the state. scheduled_at is set only while a job is Scheduled, so the index on it alone serves
-- the delayed-job scheduler (WHERE scheduled_at <= ?) and, unlike (state, scheduled_at), is not rewritten by every
-- state change: a claim and a completion each touch two index entries fewer.
-- Online: the new index is built without blocking writes before the old one goes; a drop that an interrupted run
-- did already is passed over by the installer.
CREATE INDEX ix_${prefix}job_due ON ${prefix}job (scheduled_at);
DROP INDEX ix_${prefix}job_scheduled ON ${prefix}job;

-- Batches: atomic groups of jobs with progress counters and continuations.
-- A batch: its members are jobs (job.batch_id) and nested batches (parent_batch_id). The counters are kept with
-- every state change of a member (one UPDATE of this row per batch and per state-changing transaction), never
-- counted by a scan: total members, and those that reached Succeeded, Deleted, or are Failed now. The batch is
-- SUCCEEDED once succeeded + deleted = total; DELETED by deleteBatch. awaited_batch_id and continuation_option:
-- the batch a continuation batch waits for.
CREATE TABLE IF NOT EXISTS ${prefix}batch (
    id BIGINT NOT NULL AUTO_INCREMENT,
    parent_batch_id BIGINT NULL,
    description VARCHAR(500) NULL,
    state VARCHAR(20) NOT NULL,
    total INT NOT NULL,
    succeeded INT NOT NULL,
    deleted INT NOT NULL,
    failed INT NOT NULL,
    awaited_batch_id BIGINT NULL,
    continuation_option VARCHAR(20) NULL,
    created_at DATETIME(6) NOT NULL,
    state_changed_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    -- the batches page, newest first
    INDEX ix_${prefix}batch_state (state, id),
    INDEX ix_${prefix}batch_parent (parent_batch_id),
    INDEX ix_${prefix}batch_awaited (awaited_batch_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- batch_id: the batch the job belongs to; awaited_batch_id: the batch an Awaiting job waits for (a continuation of
-- a batch, or a job of a continuation batch)
ALTER TABLE ${prefix}job ADD COLUMN batch_id BIGINT NULL;
ALTER TABLE ${prefix}job ADD COLUMN awaited_batch_id BIGINT NULL;
-- a batch's jobs by state, and the requeue and delete of a batch
-- (without the state, which would make every job's state change rewrite an entry: a batch's jobs by state are
-- read from its rows)
CREATE INDEX ix_${prefix}job_batch ON ${prefix}job (batch_id);
-- the continuations a finished batch releases
CREATE INDEX ix_${prefix}job_awaited_batch ON ${prefix}job (awaited_batch_id);

-- A fan-in continuation (continueWhen): the job that waits (job_id), its condition, and counters of its parents
-- kept as they finish: how many there are, and how many succeeded or were deleted.
CREATE TABLE IF NOT EXISTS ${prefix}fan_in (
    job_id BIGINT NOT NULL,
    fan_in VARCHAR(20) NOT NULL,
    total INT NOT NULL,
    succeeded INT NOT NULL,
    deleted INT NOT NULL,
    PRIMARY KEY (job_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The parents a fan-in still waits for: a row goes once its parent reached a final state and was counted.
CREATE TABLE IF NOT EXISTS ${prefix}fan_in_parent (
    parent_id BIGINT NOT NULL,
    job_id BIGINT NOT NULL,
    PRIMARY KEY (parent_id, job_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (4, CURRENT_TIMESTAMP);
