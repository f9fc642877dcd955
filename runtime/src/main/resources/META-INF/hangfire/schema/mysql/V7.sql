-- Quarkus Hangfire schema, version 7, for MySQL 8.0+ and MariaDB 10.6+: a claim and a completion each rewrite one
-- index entry fewer.
-- Online: the new index is built without blocking writes before the old ones go; a drop that an interrupted run did
-- already is passed over by the installer.

-- The state index carries the lease after its order, (state, state_changed_at, id, lease_until), and the lease
-- watchdog finds the claims whose lease ran out among its Processing entries (WHERE state = 'PROCESSING' AND
-- lease_until < ?), checking the lease in the index. A claim and a completion change the state, so they move their
-- job's entry in this index anyway; the index on lease_until alone was a second entry that each of them moved. The
-- Processing entries are the claims in flight, a few per worker of the cluster; the jobs in any other state carry
-- no lease. The order of a state's page is the index's (state_changed_at, id), as before.
CREATE INDEX ix_${prefix}job_state_lease ON ${prefix}job (state, state_changed_at, id, lease_until);
DROP INDEX ix_${prefix}job_state ON ${prefix}job;
DROP INDEX ix_${prefix}job_lease ON ${prefix}job;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (7, CURRENT_TIMESTAMP);
