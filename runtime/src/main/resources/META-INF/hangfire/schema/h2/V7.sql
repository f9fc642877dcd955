-- Quarkus Hangfire schema, version 7: a claim writes one index entry fewer.
-- One transaction, all or nothing (see index.adoc on the migration's lock).

-- The state index carries the lease after its order, (state, state_changed_at, id, lease_until), and the lease
-- watchdog finds the claims whose lease ran out among its Processing entries (WHERE state = 'PROCESSING' AND
-- lease_until < ?), checking the lease in the index. Every row version a state change writes gets an entry in this
-- index anyway; the partial index on lease_until was one more for each claim. The Processing entries are the claims
-- in flight, a few per worker of the cluster. The order of a state's page is the index's (state_changed_at, id).
CREATE INDEX IF NOT EXISTS ix_${prefix}job_state_lease ON ${prefix}job (state, state_changed_at, id, lease_until);
DROP INDEX IF EXISTS ix_${prefix}job_state;
DROP INDEX IF EXISTS ix_${prefix}job_lease;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (7, CURRENT_TIMESTAMP);
