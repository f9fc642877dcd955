package io.quarkiverse.hangfire.runtime.recurring;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.Misfire;
import io.quarkiverse.hangfire.RecurringJobInfo;
import io.quarkiverse.hangfire.RecurringJobs;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;
import io.quarkiverse.hangfire.runtime.state.StateMachine;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobSql;
import io.quarkiverse.hangfire.runtime.storage.JobSql.NewJobRow;
import io.quarkiverse.hangfire.runtime.storage.JobSql.ParameterRow;
import io.quarkiverse.hangfire.runtime.storage.Storage;
import io.quarkiverse.hangfire.runtime.storage.Tables;

/**
 * The recurring job table, and the scheduler step that turns due occurrences into jobs. Exactly once: a due
 * row is locked (others pass over it), its jobs are created and its next occurrence is written in the same
 * transaction, so no other server can see the same occurrence due again.
 */
@Singleton
public class RecurringStore {

    /** An occurrence later than this when it is created counts as missed, for the misfire modes. */
    public static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(10);
    /** At most how many missed occurrences one pass creates for a strict recurring job; the rest follow. */
    static final int MAX_OCCURRENCES_PER_PASS = 100;

    /** A stored recurring job's definition. */
    public record Definition(String id, String jobName, String arguments, String cron, String zone, String queue,
            Misfire misfire) {
    }

    private final Storage storage;
    private final Tables t;

    @Inject
    JobSql sql;

    @Inject
    StateMachine states;

    @Inject
    public RecurringStore(Storage storage) {
        this.storage = storage;
        this.t = storage.tables();
    }

    /**
     * Adds the recurring job or updates it, in the caller's transaction or one of its own. Its next occurrence is
     * computed anew when it is new or its schedule changed; an unchanged schedule keeps a pending occurrence, so
     * that a restart at the occurrence time does not skip it.
     */
    public void addOrUpdate(Definition d) {
        CronSchedule schedule = CronSchedule.parse(d.cron());
        ZoneId zone = CronSchedule.zone(d.zone());
        storage.inTransaction(c -> {
            Instant now = JobClock.now();
            Instant next = schedule.next(now, zone);
            String[] current = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT cron, time_zone, paused FROM " + t.recurring
                    + " WHERE id = ? FOR UPDATE")) {
                ps.setString(1, d.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        current = new String[] { rs.getString(1), rs.getString(2), Boolean.toString(rs.getBoolean(3)) };
                    }
                }
            }
            if (current == null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.recurring + " (id, job_name, arguments, cron,"
                        + " time_zone, queue, misfire, paused, next_execution, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, d.id());
                    ps.setString(2, d.jobName());
                    ps.setString(3, d.arguments());
                    ps.setString(4, d.cron());
                    ps.setString(5, d.zone());
                    ps.setString(6, d.queue());
                    ps.setString(7, d.misfire().name());
                    ps.setBoolean(8, false);
                    ps.setObject(9, ts(next));
                    ps.setObject(10, ts(now));
                    ps.setObject(11, ts(now));
                    ps.executeUpdate();
                }
                return null;
            }
            boolean rescheduled = !current[0].equals(d.cron()) || !current[1].equals(d.zone());
            boolean paused = Boolean.parseBoolean(current[2]);
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.recurring + " SET job_name = ?, arguments = ?, cron = ?,"
                    + " time_zone = ?, queue = ?, misfire = ?, updated_at = ?"
                    + (rescheduled && !paused ? ", next_execution = ?, error = NULL" : "") + " WHERE id = ?")) {
                int i = 1;
                ps.setString(i++, d.jobName());
                ps.setString(i++, d.arguments());
                ps.setString(i++, d.cron());
                ps.setString(i++, d.zone());
                ps.setString(i++, d.queue());
                ps.setString(i++, d.misfire().name());
                ps.setObject(i++, ts(now));
                if (rescheduled && !paused) {
                    ps.setObject(i++, ts(next));
                }
                ps.setString(i, d.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public boolean remove(String id) {
        return storage.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.recurring + " WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Pauses (next occurrence cleared) or resumes (next occurrence after now); false when there is no such job. */
    public boolean setPaused(String id, boolean paused) {
        return storage.inTransaction(c -> {
            Definition d = lock(c, id);
            if (d == null) {
                return false;
            }
            Instant next = paused ? null : CronSchedule.parse(d.cron()).next(JobClock.now(), CronSchedule.zone(d.zone()));
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.recurring
                    + " SET paused = ?, next_execution = ?, updated_at = ? WHERE id = ?")) {
                ps.setBoolean(1, paused);
                ps.setObject(2, ts(next));
                ps.setObject(3, ts(JobClock.now()));
                ps.setString(4, id);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Creates a job for the recurring job now, outside its schedule; null when there is no such job. */
    public String trigger(String id) {
        return storage.inTransaction(c -> {
            Definition d = lock(c, id);
            if (d == null) {
                return null;
            }
            Instant now = JobClock.now();
            long jobId = create(c, List.of(new Occurrence(d, now, "Triggered on request from recurring job '" + id + "'")), now)
                    .get(0);
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.recurring
                    + " SET last_execution = ?, last_job_id = ?, updated_at = ? WHERE id = ?")) {
                ps.setObject(1, ts(now));
                ps.setLong(2, jobId);
                ps.setObject(3, ts(now));
                ps.setString(4, id);
                ps.executeUpdate();
            }
            return Long.toString(jobId);
        });
    }

    /**
     * Creates the jobs of up to {@code limit} recurring jobs that are due, and moves each to its next
     * occurrence; returns how many recurring jobs it handled.
     */
    public int enqueueDue(int limit) {
        return storage.inServerTransaction(c -> {
            Instant now = JobClock.now();
            List<Due> due = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, job_name, arguments, cron, time_zone, queue, misfire,"
                    + " next_execution FROM " + t.recurring + " WHERE paused = ? AND next_execution <= ?"
                    + " ORDER BY next_execution LIMIT ?" + storage.dialect().forUpdateSkipLocked())) {
                ps.setBoolean(1, false);
                ps.setObject(2, ts(now));
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Due(read(rs), time(rs, 8)));
                    }
                }
            }
            List<Occurrence> toCreate = new ArrayList<>();
            List<Advance> advances = new ArrayList<>();
            for (Due row : due) {
                plan(row.definition(), row.at(), now, toCreate, advances);
            }
            List<Long> jobIds = create(c, toCreate, now);
            // the last job of each recurring job, for its row
            java.util.Map<String, Long> lastJob = new java.util.HashMap<>();
            for (int i = 0; i < toCreate.size(); i++) {
                lastJob.put(toCreate.get(i).definition().id(), jobIds.get(i));
            }
            for (Advance advance : advances) {
                advance(c, advance, lastJob.get(advance.id()), now);
            }
            return due.size();
        });
    }

    /** A recurring job that is due, with the occurrence it is due for. */
    private record Due(Definition definition, Instant at) {
    }

    /** One job to create for an occurrence of a recurring job. */
    private record Occurrence(Definition definition, Instant time, String reason) {
    }

    /** What to write on a recurring row once its jobs exist. */
    private record Advance(String id, Instant next, Instant lastExecution, String error) {
    }

    /** Plans the jobs of one due recurring job as its misfire mode says, and its next occurrence. */
    private void plan(Definition d, Instant due, Instant now, List<Occurrence> toCreate, List<Advance> advances) {
        Instant next;
        List<Instant> occurrences = new ArrayList<>();
        String error = null;
        try {
            CronSchedule schedule = CronSchedule.parse(d.cron());
            ZoneId zone = CronSchedule.zone(d.zone());
            next = due;
            while (next != null && !next.isAfter(now) && occurrences.size() < MAX_OCCURRENCES_PER_PASS) {
                occurrences.add(next);
                next = schedule.next(next, zone);
            }
            if (d.misfire() != Misfire.STRICT) {
                // the other modes never run an occurrence later than now's: skip ahead
                while (next != null && !next.isAfter(now)) {
                    next = schedule.next(next, zone);
                }
            }
        } catch (IllegalArgumentException e) {
            // stored by hand or by an older version: stop it and say why, rather than fail the whole batch
            next = null;
            error = e.getMessage();
        }
        List<Instant> run = switch (d.misfire()) {
            case STRICT -> occurrences;
            case RELAXED -> occurrences.isEmpty() ? List.of() : List.of(occurrences.get(occurrences.size() - 1));
            case IGNORABLE -> occurrences.stream().filter(o -> !isMissed(o, now)).toList();
        };
        for (Instant occurrence : run) {
            toCreate.add(new Occurrence(d, occurrence, "Created by recurring job '" + d.id() + "' for its occurrence at "
                    + occurrence + (isMissed(occurrence, now) ? ", missed while no server ran (misfire " + d.misfire() + ")"
                            : "")));
        }
        advances.add(new Advance(d.id(), next, run.isEmpty() ? null : run.get(run.size() - 1), error));
    }

    private void advance(Connection c, Advance a, Long lastJob, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.recurring + " SET next_execution = ?, error = ?, updated_at = ?"
                + (lastJob != null ? ", last_execution = ?, last_job_id = ?" : "") + " WHERE id = ?")) {
            int i = 1;
            ps.setObject(i++, ts(a.next()));
            ps.setString(i++, a.error());
            ps.setObject(i++, ts(now));
            if (lastJob != null) {
                ps.setObject(i++, ts(a.lastExecution()));
                ps.setLong(i++, lastJob);
            }
            ps.setString(i, a.id());
            ps.executeUpdate();
        }
    }

    private static boolean isMissed(Instant occurrence, Instant now) {
        return occurrence.plus(MISFIRE_THRESHOLD).isBefore(now);
    }

    /**
     * Creates one Enqueued job per occurrence with multi-row inserts, with the parameters that name its origin;
     * returns their ids in order.
     */
    private List<Long> create(Connection c, List<Occurrence> occurrences, Instant now) throws SQLException {
        if (occurrences.isEmpty()) {
            return List.of();
        }
        List<NewJobRow> rows = new ArrayList<>(occurrences.size());
        for (Occurrence o : occurrences) {
            Definition d = o.definition();
            rows.add(new NewJobRow(d.jobName(), d.queue(), d.arguments(), JobState.ENQUEUED, o.reason(), null, null, null));
        }
        List<Long> ids = states.createEnqueued(c, rows, now);
        List<ParameterRow> parameters = new ArrayList<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            Occurrence o = occurrences.get(i);
            parameters.add(new ParameterRow(ids.get(i), RecurringJobs.ID_PARAMETER, JobArguments.toJson(o.definition().id())));
            parameters.add(new ParameterRow(ids.get(i), RecurringJobs.OCCURRENCE_PARAMETER,
                    JobArguments.toJson(o.time().toString())));
        }
        sql.insertParameters(c, parameters);
        return ids;
    }

    private Definition lock(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, job_name, arguments, cron, time_zone, queue, misfire FROM "
                + t.recurring + " WHERE id = ? FOR UPDATE")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs) : null;
            }
        }
    }

    private static Definition read(ResultSet rs) throws SQLException {
        return new Definition(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), Misfire.valueOf(rs.getString(7)));
    }

    private Object ts(Instant instant) {
        return storage.dialect().timestamp(instant);
    }

    /** The stored recurring jobs, or only the one with {@code id} when it is not null, by id. */
    public List<RecurringJobInfo> list(String id) {
        return storage.inTransaction(c -> {
            List<RecurringJobInfo> jobs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.id, r.job_name, r.arguments, r.cron, r.time_zone, r.queue,"
                    + " r.misfire, r.paused, r.next_execution, r.last_execution, r.last_job_id, j.state, r.error, r.created_at"
                    + " FROM " + t.recurring + " r LEFT JOIN " + t.job + " j ON j.id = r.last_job_id"
                    + (id == null ? "" : " WHERE r.id = ?") + " ORDER BY r.id")) {
                if (id != null) {
                    ps.setString(1, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long lastJob = rs.getLong(11);
                        String lastJobId = rs.wasNull() ? null : Long.toString(lastJob);
                        String lastState = rs.getString(12);
                        jobs.add(new RecurringJobInfo(rs.getString(1), rs.getString(2), JobArguments.split(rs.getString(2), rs.getString(3)),
                                rs.getString(4), rs.getString(5), rs.getString(6), Misfire.valueOf(rs.getString(7)),
                                rs.getBoolean(8), time(rs, 9), time(rs, 10), lastJobId,
                                lastState == null ? null : JobState.valueOf(lastState), rs.getString(13), time(rs, 14)));
                    }
                }
            }
            return jobs;
        });
    }

    private static Instant time(ResultSet rs, int column) throws SQLException {
        return JobClock.fromDb(rs.getObject(column, LocalDateTime.class));
    }
}
