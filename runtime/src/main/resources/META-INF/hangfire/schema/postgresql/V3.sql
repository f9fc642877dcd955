-- Quarkus Hangfire schema, version 3 for PostgreSQL: the job row carries its queue
-- membership and its claim, and the separate queue table goes away. An enqueue is one INSERT, a claim one
-- locking read and one UPDATE, a completion one UPDATE.
-- Online: the columns are added without rewriting the table, in the migration's transaction.

-- priority: the slot within the queue, lower first (0 by default); enqueued_at: when the job entered its
-- queue, the order within a slot; owner and lease_until: the server that claimed the job and when its lease
-- runs out; history_pending: how many of the job's latest states are not in job_state yet (a new job's
-- Enqueued state, a claim's Processing state), written with the next state change that is not a claim.
ALTER TABLE ${prefix}job ADD COLUMN IF NOT EXISTS priority INT NOT NULL DEFAULT 0;
ALTER TABLE ${prefix}job ADD COLUMN IF NOT EXISTS enqueued_at TIMESTAMP(6) NULL;
ALTER TABLE ${prefix}job ADD COLUMN IF NOT EXISTS owner VARCHAR(200) NULL;
ALTER TABLE ${prefix}job ADD COLUMN IF NOT EXISTS lease_until TIMESTAMP(6) NULL;
ALTER TABLE ${prefix}job ADD COLUMN IF NOT EXISTS history_pending INT NOT NULL DEFAULT 0;

-- the claim: WHERE state = 'ENQUEUED' AND queue = ? ORDER BY priority, enqueued_at, id
CREATE INDEX IF NOT EXISTS ix_${prefix}job_fetch ON ${prefix}job (state, queue, priority, enqueued_at, id);
-- the lease watchdog: WHERE lease_until < ? (only claimed jobs have one)
CREATE INDEX IF NOT EXISTS ix_${prefix}job_lease ON ${prefix}job (lease_until);

-- the queue rows move into their jobs
UPDATE ${prefix}job j SET enqueued_at = q.enqueued_at, owner = q.owner, lease_until = q.lease_until
    FROM ${prefix}job_queue q WHERE q.job_id = j.id;
UPDATE ${prefix}job SET enqueued_at = state_changed_at WHERE state IN ('ENQUEUED', 'PROCESSING') AND enqueued_at IS NULL;
DROP TABLE IF EXISTS ${prefix}job_queue;

-- the number of jobs per state that counters keep from now on (Statistics.KEPT_COUNTS), from the jobs stored;
-- Enqueued and Processing jobs are counted on the claim index
INSERT INTO ${prefix}counter (name, amount)
    SELECT CONCAT('jobs:', LOWER(state)), COUNT(*) FROM ${prefix}job
    WHERE state IN ('SCHEDULED', 'AWAITING', 'SUCCEEDED', 'FAILED', 'DELETED')
        AND NOT EXISTS (SELECT 1 FROM ${prefix}counter c WHERE c.name LIKE 'jobs:%')
    GROUP BY state;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (3, CURRENT_TIMESTAMP);
