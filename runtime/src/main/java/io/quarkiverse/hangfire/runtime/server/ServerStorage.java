package io.quarkiverse.hangfire.runtime.server;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.state.StateMachine;
import io.quarkiverse.hangfire.runtime.state.Transition;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobRow;
import io.quarkiverse.hangfire.runtime.storage.JobSql;
import io.quarkiverse.hangfire.runtime.storage.JobSql.QueueEntry;
import io.quarkiverse.hangfire.runtime.storage.Storage;
import io.quarkiverse.hangfire.runtime.storage.Tables;

/**
 * The server's transactions: claim jobs, record outcomes, promote due scheduled jobs, return jobs whose
 * lease ran out, remove expired jobs, and keep the server row alive. Each is one short transaction over a
 * batch, retried when the database picks it as a deadlock victim.
 */
@Singleton
public class ServerStorage {

    @Inject
    Storage storage;

    @Inject
    JobSql sql;

    @Inject
    StateMachine states;

    /** Claims up to {@code max} jobs from the queues in priority order, oldest first within a queue. */
    public List<ClaimedJob> claim(String owner, List<String> queues, int max, Instant leaseUntil) {
        return storage.inServerTransaction(c -> {
            Instant now = JobClock.now();
            List<QueueEntry> entries = new ArrayList<>();
            for (String queue : queues) {
                if (entries.size() >= max) {
                    break;
                }
                entries.addAll(sql.lockUnclaimed(c, queue, max - entries.size()));
            }
            if (entries.isEmpty()) {
                return List.of();
            }
            Map<Long, QueueEntry> byJob = new HashMap<>();
            entries.forEach(e -> byJob.put(e.jobId(), e));
            // a job locked by a state change in progress is passed over, not waited for
            List<JobRow> rows = sql.lockJobsSkipLocked(c, byJob.keySet());
            List<ClaimedJob> claimed = new ArrayList<>(rows.size());
            List<Transition> processing = new ArrayList<>(rows.size());
            List<Long> claims = new ArrayList<>(rows.size());
            for (JobRow row : rows) {
                if (row.state() != JobState.ENQUEUED) {
                    continue;
                }
                QueueEntry entry = byJob.get(row.id());
                claims.add(entry.id());
                processing.add(Transition.to(row, JobState.PROCESSING, null).withData(Map.of("server", owner)));
                claimed.add(new ClaimedJob(row.claimed(), entry.id(), entry.enqueuedAt()));
            }
            if (claims.isEmpty()) {
                return List.of();
            }
            sql.claim(c, claims, owner, leaseUntil);
            states.applyOutcomes(c, processing, now);
            return claimed;
        });
    }

    /** Claims one stored job for {@code JobScheduler.perform}, whatever its state but Processing. */
    public ClaimedJob claimOne(String jobId, String owner, Instant leaseUntil) {
        long id = StateMachine.parseId(jobId);
        return storage.inNewTransaction(c -> {
            JobRow row = sql.lockJob(c, id);
            if (row == null) {
                throw new io.quarkiverse.hangfire.JobNotFoundException(jobId);
            }
            if (row.state() == JobState.PROCESSING) {
                throw new IllegalStateException("Job " + jobId + " is being processed right now; it cannot be performed"
                        + " until that run ends");
            }
            Instant now = JobClock.now();
            QueueEntry entry = sql.queueEntry(c, id);
            if (entry == null) {
                sql.insertQueueRows(c, List.of(row), now);
                entry = sql.queueEntry(c, id);
            }
            sql.claim(c, List.of(entry.id()), owner, leaseUntil);
            states.applyOutcomes(c, List.of(Transition.to(row, JobState.PROCESSING, "Performed on request")
                    .withData(Map.of("server", owner))), now);
            return new ClaimedJob(row.claimed(), entry.id(), now);
        });
    }

    /** One outcome a worker reported, with the claim it ran under. */
    public record Outcome(ClaimedJob claimed, Transition transition) {
    }

    /**
     * Records outcomes, each only if its claim is still held by {@code owner}: a job that was deleted,
     * requeued or taken back from this server in the meantime keeps its newer state. Returns how many were
     * recorded.
     */
    public int complete(String owner, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        return storage.inServerTransaction(c -> {
            Set<Long> jobIds = new HashSet<>();
            List<Long> claims = new ArrayList<>();
            for (Outcome o : outcomes) {
                jobIds.add(o.claimed().job().id());
                claims.add(o.claimed().claim());
            }
            sql.lockJobs(c, jobIds);
            Set<Long> owned = new HashSet<>();
            for (QueueEntry entry : sql.lockOwnedEntries(c, claims, owner)) {
                owned.add(entry.id());
            }
            List<Transition> transitions = new ArrayList<>(owned.size());
            for (Outcome o : outcomes) {
                if (owned.contains(o.claimed().claim())) {
                    transitions.add(o.transition());
                }
            }
            states.applyOutcomes(c, transitions, JobClock.now());
            return transitions.size();
        });
    }

    /** Moves up to {@code limit} due scheduled jobs to their queues; returns how many. */
    public int enqueueDueScheduled(int limit) {
        return storage.inServerTransaction(c -> {
            Instant now = JobClock.now();
            List<Transition> due = new ArrayList<>();
            for (JobRow row : sql.lockDueScheduled(c, now, limit)) {
                due.add(Transition.to(row, JobState.ENQUEUED, "Scheduled time reached"));
            }
            states.apply(c, due, now);
            return due.size();
        });
    }

    /** Returns up to {@code limit} jobs whose lease ran out to their queues; returns how many. */
    public int requeueExpiredLeases(int limit) {
        return storage.inServerTransaction(c -> {
            Instant now = JobClock.now();
            List<QueueEntry> expired = sql.lockExpiredLeases(c, now, limit);
            if (expired.isEmpty()) {
                return 0;
            }
            Map<Long, QueueEntry> byJob = new HashMap<>();
            expired.forEach(e -> byJob.put(e.jobId(), e));
            List<Transition> back = new ArrayList<>();
            for (JobRow row : sql.lockJobsSkipLocked(c, byJob.keySet())) {
                back.add(Transition.to(row, JobState.ENQUEUED, "Server " + byJob.get(row.id()).owner()
                        + " stopped renewing its lease on the job (it crashed or lost the database); returned to the queue"));
            }
            states.apply(c, back, now);
            return back.size();
        });
    }

    /** Removes up to {@code limit} jobs past their expiration time; returns how many. */
    public int removeExpired(int limit) {
        return storage.inServerTransaction(c -> {
            List<Long> ids = sql.lockExpired(c, JobClock.now(), limit);
            sql.deleteJobs(c, ids);
            return ids.size();
        });
    }

    /** Registers or refreshes this server and renews the leases of the jobs it runs. */
    public void heartbeat(String serverId, List<String> queues, int workers, Instant startedAt, Instant leaseUntil) {
        storage.inServerTransaction(c -> {
            Tables t = storage.tables();
            Instant now = JobClock.now();
            int updated;
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.server + " SET last_heartbeat = ? WHERE id = ?")) {
                ps.setObject(1, storage.dialect().timestamp(now));
                ps.setString(2, serverId);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.server
                        + " (id, queues, workers, started_at, last_heartbeat) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, serverId);
                    ps.setString(2, String.join(",", queues));
                    ps.setInt(3, workers);
                    ps.setObject(4, storage.dialect().timestamp(startedAt));
                    ps.setObject(5, storage.dialect().timestamp(now));
                    ps.executeUpdate();
                }
            }
            sql.renewLeases(c, serverId, leaseUntil);
            return null;
        });
    }

    /** Removes the rows of servers that stopped heartbeating before {@code deadline}. */
    public int removeDeadServers(Instant deadline) {
        return storage.inServerTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + storage.tables().server
                    + " WHERE last_heartbeat < ?")) {
                ps.setObject(1, storage.dialect().timestamp(deadline));
                return ps.executeUpdate();
            }
        });
    }

    public void removeServer(String serverId) {
        storage.inNewTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + storage.tables().server + " WHERE id = ?")) {
                ps.setString(1, serverId);
                return ps.executeUpdate();
            }
        });
    }
}
