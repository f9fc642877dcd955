-- Quarkus Hangfire schema, version 4, for PostgreSQL: the job table's indexes on columns that are empty for most of
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
