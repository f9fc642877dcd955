package io.quarkiverse.hangfire.runtime.recurring;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.JobCreationCancelledException;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.Misfire;
import io.quarkiverse.hangfire.RecurringJobInfo;
import io.quarkiverse.hangfire.RecurringJobs;
import io.quarkiverse.hangfire.runtime.filter.FilteredCreation;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;
import io.quarkiverse.hangfire.runtime.state.StateMachine;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobParameters;
import io.quarkiverse.hangfire.runtime.storage.JobParameters.ParameterRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore;
import io.quarkiverse.hangfire.runtime.storage.JobStore.NewJobRow;
import io.quarkiverse.hangfire.runtime.storage.RecurringJobStore;
import io.quarkiverse.hangfire.runtime.storage.RecurringJobStore.Definition;
import io.quarkiverse.hangfire.runtime.storage.RecurringJobStore.Due;
import io.quarkiverse.hangfire.runtime.storage.RecurringJobStore.Schedule;
import io.quarkiverse.hangfire.runtime.storage.Transactions;
import io.quarkiverse.hangfire.runtime.storage.UniqueKeys;

/**
 * Manages recurring jobs: adds, updates, pauses and triggers them, and turns due occurrences into jobs as their
 * misfire mode says. Exactly once: a due row is locked (others pass over it), its jobs are created and its next
 * occurrence is written in the same transaction, so no other server can see the same occurrence due again. The
 * SQL is {@link RecurringJobStore}'s. Each job goes through the job filters' creation phases as a job created through
 * the API does ({@link FilteredCreation}): a filter that cancels skips that occurrence; a filter that throws leaves
 * the recurring job due, its error recorded, to be tried again at the next pass (its lateness shows it).
 */
@Singleton
public class RecurringJobManager {

    /** An occurrence later than this when it is created counts as missed, for the misfire modes. */
    public static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(10);
    /** At most how many missed occurrences one pass creates for a strict recurring job; the rest follow. */
    static final int MAX_OCCURRENCES_PER_PASS = 100;

    private static final Logger LOG = Logger.getLogger(RecurringJobManager.class);

    @Inject
    Transactions transactions;

    @Inject
    RecurringJobStore store;

    @Inject
    JobParameters parameters;

    @Inject
    StateMachine states;

    @Inject
    FilteredCreation filters;

    @Inject
    JobStore jobs;

    @Inject
    UniqueKeys uniqueKeys;

    /**
     * Adds the recurring job or updates it, in the caller's transaction or one of its own. Its next occurrence is
     * computed anew when it is new or its schedule changed; an unchanged schedule keeps a pending occurrence, so
     * that a restart at the occurrence time does not skip it. The row is written (if absent) before it is read and
     * locked: concurrent adds of one id then wait for each other instead of deadlocking, so that a caller's
     * transaction, which cannot be run again here, does not fail for it.
     */
    public void addOrUpdate(Definition d) {
        CronSchedule schedule = CronSchedule.parse(d.cron());
        ZoneId zone = CronSchedule.zone(d.zone());
        transactions.inTransaction(c -> {
            Instant now = JobClock.now();
            Instant next = schedule.next(now, zone);
            store.addIfAbsent(c, d, next, now);
            Schedule current = store.lockSchedule(c, d.id());
            if (current == null) {
                throw new IllegalStateException("Recurring job '" + d.id() + "' was removed by another instance while"
                        + " this one added it; add it again");
            }
            // just added: the same definition and schedule, so nothing changes
            boolean rescheduled = !current.cron().equals(d.cron()) || !current.zone().equals(d.zone());
            store.update(c, d, rescheduled && !current.paused() ? next : null, now);
            return null;
        });
    }

    public boolean remove(String id) {
        return transactions.inTransaction(c -> store.delete(c, id));
    }

    /** Pauses (next occurrence cleared) or resumes (next occurrence after now); false when there is no such job. */
    public boolean setPaused(String id, boolean paused) {
        return transactions.inTransaction(c -> {
            Definition d = store.lock(c, id);
            if (d == null) {
                return false;
            }
            Instant now = JobClock.now();
            Instant next = paused ? null : CronSchedule.parse(d.cron()).next(now, CronSchedule.zone(d.zone()));
            store.setPaused(c, id, paused, next, now);
            return true;
        });
    }

    /** Creates a job for the recurring job now, outside its schedule; null when there is no such job. */
    public String trigger(String id) {
        return transactions.inTransaction(c -> {
            Definition d = store.lock(c, id);
            if (d == null) {
                return null;
            }
            Instant now = JobClock.now();
            Occurrence triggered = new Occurrence(d, now, "Triggered on request from recurring job '" + id + "'");
            // a cancelling filter throws to the caller, as for a job created through the API
            long jobId = create(c, List.of(triggered), List.of(filters.creating(d.jobName(), d.queue(), JobState.ENQUEUED)),
                    now).get(0);
            store.recordTriggered(c, id, jobId, now);
            return Long.toString(jobId);
        });
    }

    /**
     * Creates the jobs of up to {@code limit} recurring jobs that are due, and moves each to its next
     * occurrence; returns how many recurring jobs it handled.
     */
    public int enqueueDue(int limit) {
        return transactions.inServerTransaction(c -> {
            Instant now = JobClock.now();
            List<Due> due = store.lockDue(c, now, limit);
            List<Occurrence> toCreate = new ArrayList<>();
            List<Advance> advances = new ArrayList<>();
            List<FilteredCreation.Creation> filtered = new ArrayList<>();
            for (Due row : due) {
                List<Occurrence> planned = new ArrayList<>();
                Advance advance = plan(row.definition(), row.at(), now, planned);
                advances.add(filter(row, planned, advance, toCreate, filtered));
            }
            List<Long> jobIds = create(c, toCreate, filtered, now);
            // the last job of each recurring job, for its row
            Map<String, Long> lastJob = new HashMap<>();
            for (int i = 0; i < toCreate.size(); i++) {
                lastJob.put(toCreate.get(i).definition().id(), jobIds.get(i));
            }
            for (Advance a : advances) {
                store.advance(c, a.id(), a.next(), a.error(), a.lastExecution(), lastJob.get(a.id()), now);
            }
            return due.size();
        });
    }

    /** The stored recurring jobs, or only the one with {@code id} when it is not null, by id. */
    public List<RecurringJobInfo> list(String id) {
        return transactions.inTransaction(c -> store.list(c, id));
    }

    /** One job to create for an occurrence of a recurring job. */
    private record Occurrence(Definition definition, Instant time, String reason) {
    }

    /** What to write on a recurring row once its jobs exist. */
    private record Advance(String id, Instant next, Instant lastExecution, String error) {
    }

    /**
     * Runs the filters' {@code onCreating} for the planned occurrences of {@code row}, adding those let through to
     * {@code toCreate} and their creations to {@code filtered}; returns what to write on the row. When a filter
     * throws, none of the row's occurrences is created and the row stays due with the error.
     */
    private Advance filter(Due row, List<Occurrence> planned, Advance advance, List<Occurrence> toCreate,
            List<FilteredCreation.Creation> filtered) {
        List<Occurrence> letThrough = new ArrayList<>(planned.size());
        List<FilteredCreation.Creation> creations = new ArrayList<>(planned.size());
        Definition d = row.definition();
        for (Occurrence o : planned) {
            try {
                creations.add(filters.creating(d.jobName(), d.queue(), JobState.ENQUEUED));
                letThrough.add(o);
            } catch (JobCreationCancelledException cancelled) {
                LOG.infof("The job of recurring job '%s' for its occurrence at %s was not created: %s", d.id(), o.time(),
                        cancelled.getMessage());
            } catch (RuntimeException failed) {
                LOG.warnf("A job filter failed creating the job of recurring job '%s' for its occurrence at %s; it is"
                        + " tried again at the next pass: %s", d.id(), o.time(), failed.toString());
                return new Advance(d.id(), row.at(), null, "A job filter failed creating its job: " + failed);
            }
        }
        toCreate.addAll(letThrough);
        filtered.addAll(creations);
        Instant last = letThrough.isEmpty() ? null : letThrough.get(letThrough.size() - 1).time();
        return new Advance(advance.id(), advance.next(), last, advance.error());
    }

    /** Plans the jobs of one due recurring job as its misfire mode says; returns its next occurrence. */
    private Advance plan(Definition d, Instant due, Instant now, List<Occurrence> toCreate) {
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
        return new Advance(d.id(), next, run.isEmpty() ? null : run.get(run.size() - 1), error);
    }

    private static boolean isMissed(Instant occurrence, Instant now) {
        return occurrence.plus(MISFIRE_THRESHOLD).isBefore(now);
    }

    /**
     * Creates one Enqueued job per occurrence with multi-row inserts, with the parameters that name its origin and
     * those its filters set ({@code filtered}, one per occurrence); returns their ids in order. An occurrence of a job
     * method declared unique ({@code @BackgroundJob(unique = ...)}, its key filled from the recurring job's arguments)
     * whose key another job holds (the previous occurrence, still waiting or, with {@code uniqueWhileProcessing},
     * running) is not created: its place in the result holds the id of the job that holds the key.
     */
    private List<Long> create(Connection c, List<Occurrence> occurrences, List<FilteredCreation.Creation> filtered,
            Instant now) throws SQLException {
        if (occurrences.isEmpty()) {
            return List.of();
        }
        List<NewJobRow> rows = new ArrayList<>(occurrences.size());
        List<UniqueKeys.Hold> holds = new ArrayList<>(occurrences.size());
        for (Occurrence o : occurrences) {
            Definition d = o.definition();
            // the method's priority, deadline and unique key, as for any job created without options
            JobMethod method = JobRegistry.find(d.jobName());
            JobMethod.Flow flow = method == null || method.flow() == null ? JobMethod.Flow.NONE : method.flow();
            UniqueKeys.Hold hold = flow.unique() == null ? null
                    : new UniqueKeys.Hold(flow.unique().key(d.arguments()), flow.uniqueWhileProcessing(),
                            flow.uniqueAfterFinish());
            holds.add(hold);
            Instant deadline = flow.deadline() == null ? null : now.plus(flow.deadline());
            rows.add(new NewJobRow(d.jobName(), d.queue(), d.arguments(), JobState.ENQUEUED, o.reason(), null, null, null, true,
                    new NewJobRow.Flow(flow.priority(), deadline, hold == null ? null : hold.key()), NewJobRow.BatchLink.NONE));
        }
        List<Long> ids = jobs.insertJobs(c, rows, now);
        List<Long> result = new ArrayList<>(ids.size());
        List<Long> kept = new ArrayList<>(ids.size());
        List<NewJobRow> keptRows = new ArrayList<>(ids.size());
        List<Long> dropped = new ArrayList<>();
        List<ParameterRow> origins = new ArrayList<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            Occurrence o = occurrences.get(i);
            long id = ids.get(i);
            Long holder = holds.get(i) == null ? null : uniqueKeys.take(c, id, holds.get(i), now);
            if (holder != null) {
                LOG.debugf("The job of recurring job '%s' for its occurrence at %s was not created: job %d holds its"
                        + " unique key", o.definition().id(), o.time(), holder);
                dropped.add(id);
                result.add(holder);
                continue;
            }
            result.add(id);
            kept.add(id);
            keptRows.add(rows.get(i));
            origins.add(new ParameterRow(id, RecurringJobs.ID_PARAMETER, JobArguments.toJson(o.definition().id())));
            origins.add(new ParameterRow(id, RecurringJobs.OCCURRENCE_PARAMETER, JobArguments.toJson(o.time().toString())));
        }
        jobs.deleteJobs(c, dropped);
        if (!kept.isEmpty()) {
            states.recordCreatedEnqueued(c, keptRows, kept, now);
            parameters.insert(c, origins);
        }
        for (int i = 0; i < ids.size(); i++) {
            if (result.get(i).equals(ids.get(i))) {
                filtered.get(i).stored(c, ids.get(i), occurrences.get(i).reason(), Map.of(), now);
            }
        }
        return result;
    }
}
