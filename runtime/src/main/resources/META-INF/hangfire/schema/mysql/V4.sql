-- Quarkus Hangfire schema, version 4, for MySQL 8.0+ and MariaDB 10.6+: batches, atomic groups of jobs with
-- progress counters and continuations.
-- MySQL has no ADD COLUMN IF NOT EXISTS: the installer passes over a column or index that an interrupted run of
-- this script created already.

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
CREATE INDEX ix_${prefix}job_batch ON ${prefix}job (batch_id, state);
-- the continuations a finished batch releases
CREATE INDEX ix_${prefix}job_awaited_batch ON ${prefix}job (awaited_batch_id, state);

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
