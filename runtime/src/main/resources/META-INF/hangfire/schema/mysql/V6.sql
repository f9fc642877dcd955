-- Quarkus Hangfire schema, version 6, for MySQL 8.0+ and MariaDB 10.6+: a job's completion looks for continuations
-- only when one was created for the job.
-- Online: the column is added in place (instant on MySQL 8.0.12+ and MariaDB 10.3+).

-- has_continuations: whether a continuation (of this job alone, or a fan-in of several parents) was ever created to
-- wait for this job. Set in the transaction that creates the continuation, which holds the parent's row lock, and never
-- cleared. A job that reaches a final state without it has nothing to release, and its completion skips the two
-- lookups (the continuations by parent, the fan-ins by parent) that every batch of outcomes made until version 5.
ALTER TABLE ${prefix}job ADD COLUMN has_continuations BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE ${prefix}job p JOIN (SELECT DISTINCT parent_id FROM ${prefix}job WHERE parent_id IS NOT NULL) w
    ON p.id = w.parent_id SET p.has_continuations = TRUE;
UPDATE ${prefix}job p JOIN (SELECT DISTINCT parent_id FROM ${prefix}fan_in_parent) w
    ON p.id = w.parent_id SET p.has_continuations = TRUE;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (6, CURRENT_TIMESTAMP);
