package io.quarkiverse.hangfire.runtime;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.hibernate.Session;

import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.CountPoint;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobMonitor;
import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.JobPage;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.JobSummary;
import io.quarkiverse.hangfire.ServerInfo;
import io.quarkiverse.hangfire.StateRecord;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore.HistoryRow;
import io.quarkiverse.hangfire.runtime.storage.Statistics;
import io.quarkiverse.hangfire.runtime.storage.Transactions;
import io.quarkiverse.hangfire.runtime.storage.entity.JobEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.JobParameterEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.JobStateEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.ServerEntity;

import static io.quarkiverse.hangfire.runtime.storage.JobClock.fromDb;

/** The monitoring queries, through the entities. */
@Singleton
public class HangfireJobMonitor implements JobMonitor {

    private static final int MAX_PAGE = 1000;

    @Inject
    Transactions storage;

    @Inject
    HangfireConfig config;

    @Inject
    Statistics statistics;

    @Override
    public Map<JobState, Long> countsByState() {
        // a read per state, whatever the number of jobs stored
        return storage.inTransaction(statistics::jobCounts);
    }

    @Override
    public Map<String, Long> enqueuedCountsByQueue() {
        return read(session -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (Object[] row : session.createSelectionQuery(
                    "select j.queue, count(j) from JobEntity j where j.state = 'ENQUEUED' group by j.queue order by j.queue",
                    Object[].class).getResultList()) {
                counts.put((String) row[0], (Long) row[1]);
            }
            return counts;
        });
    }

    @Override
    public JobPage jobs(JobState state, int offset, int limit) {
        if (state == null) {
            throw new IllegalArgumentException("'state' must not be null");
        }
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("offset must be >= 0 and limit between 1 and " + MAX_PAGE + ", got offset "
                    + offset + " and limit " + limit);
        }
        long total = countsByState().get(state);
        return read(session -> {
            List<JobSummary> jobs = session
                    .createSelectionQuery("from JobEntity j where j.state = :state order by j.stateChangedAt desc, j.id desc",
                            JobEntity.class)
                    .setParameter("state", state.name()).setFirstResult(offset).setMaxResults(limit).getResultList()
                    .stream().map(HangfireJobMonitor::summary).toList();
            return new JobPage(jobs, total, offset, limit);
        });
    }

    @Override
    public Optional<JobDetails> job(String jobId) {
        long id = JobId.parse(jobId);
        return read(session -> {
            JobEntity job = session.find(JobEntity.class, id);
            if (job == null) {
                return Optional.empty();
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            session.createSelectionQuery("from JobParameterEntity p where p.jobId = :job order by p.name",
                    JobParameterEntity.class).setParameter("job", id).getResultList()
                    .forEach(p -> parameters.put(p.getName(), p.getValue()));
            // newest first: the states the job row stands for, then the history rows
            List<StateRecord> history = new ArrayList<>();
            List<HistoryRow> unlogged = JobRow.unloggedHistory(id, job.getAttempt(), job.getHistoryPending(),
                    job.getStateReason(), fromDb(job.getStateChangedAt()), fromDb(job.getCreatedAt()), job.getOwner());
            for (int i = unlogged.size() - 1; i >= 0; i--) {
                HistoryRow h = unlogged.get(i);
                history.add(record(h.state().name(), h.reason(), h.createdAt(), h.data()));
            }
            session.createSelectionQuery("from JobStateEntity s where s.jobId = :job order by s.id desc", JobStateEntity.class)
                    .setParameter("job", id).getResultList()
                    .forEach(s -> history.add(record(s.getState(), s.getReason(), fromDb(s.getCreatedAt()), s.getData())));
            return Optional.of(new JobDetails(JobId.format(job.getId()), job.getJobName(), job.getQueue(),
                    JobArguments.split(job.getJobName(), job.getArguments()), JobState.valueOf(job.getState()), job.getStateReason(),
                    job.getAttempt(), fromDb(job.getCreatedAt()), fromDb(job.getStateChangedAt()),
                    fromDb(job.getScheduledAt()), fromDb(job.getExpireAt()),
                    job.getParentId() == null ? null : job.getParentId().toString(),
                    job.getContinuationOption() == null ? null : ContinuationOption.valueOf(job.getContinuationOption()),
                    parameters, history));
        });
    }

    @Override
    public List<String> jobNames() {
        return JobRegistry.names();
    }

    @Override
    public List<ServerInfo> servers() {
        Instant alive = JobClock.now().minus(config.server().leaseTimeout());
        return read(session -> session.createSelectionQuery(
                "from ServerEntity s where s.lastHeartbeat >= :alive order by s.startedAt, s.id", ServerEntity.class)
                .setParameter("alive", JobClock.toDb(alive)).getResultList().stream()
                .map(s -> new ServerInfo(s.getId(), List.of(s.getQueues().split(",")), s.getWorkers(),
                        fromDb(s.getStartedAt()), fromDb(s.getLastHeartbeat())))
                .toList());
    }

    @Override
    public Map<JobState, Long> finishedTotals() {
        Map<String, JobState> names = new LinkedHashMap<>();
        for (JobState state : Statistics.COUNTED) {
            names.put(Statistics.totalName(state), state);
        }
        Map<String, Long> sums = sums(names.keySet());
        Map<JobState, Long> totals = new EnumMap<>(JobState.class);
        names.forEach((name, state) -> totals.put(state, sums.getOrDefault(name, 0L)));
        return totals;
    }

    @Override
    public List<CountPoint> history(JobState state, ChronoUnit unit, int periods) {
        if (!Statistics.COUNTED.contains(state)) {
            throw new IllegalArgumentException("Statistics are kept for " + Statistics.COUNTED + ", not " + state);
        }
        int max = unit == ChronoUnit.HOURS ? 48 : unit == ChronoUnit.DAYS ? 31 : 0;
        if (max == 0) {
            throw new IllegalArgumentException("Statistics are kept per HOURS or DAYS, not " + unit);
        }
        if (periods < 1 || periods > max) {
            throw new IllegalArgumentException("periods must be between 1 and " + max + " for " + unit + ", got " + periods);
        }
        Instant current = Statistics.start(unit, JobClock.now());
        List<Instant> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = periods - 1; i >= 0; i--) {
            Instant start = current.minus(i, unit);
            starts.add(start);
            names.add(Statistics.periodName(state, unit, start));
        }
        Map<String, Long> sums = sums(names);
        List<CountPoint> points = new ArrayList<>(periods);
        for (int i = 0; i < periods; i++) {
            points.add(new CountPoint(starts.get(i), sums.getOrDefault(names.get(i), 0L)));
        }
        return points;
    }

    private Map<String, Long> sums(java.util.Collection<String> names) {
        return read(session -> {
            Map<String, Long> sums = new LinkedHashMap<>();
            for (Object[] row : session.createSelectionQuery(
                    "select c.name, sum(c.amount) from CounterEntity c where c.name in :names group by c.name", Object[].class)
                    .setParameter("names", names).getResultList()) {
                sums.put((String) row[0], ((Number) row[1]).longValue());
            }
            return sums;
        });
    }

    /** The job's current state; a {@link JobNotFoundException} when there is no such job. */
    public JobState state(String jobId) {
        long id = JobId.parse(jobId);
        List<String> states = read(session -> session.createSelectionQuery("select j.state from JobEntity j where j.id = :id",
                String.class).setParameter("id", id).getResultList());
        if (states.isEmpty()) {
            throw new JobNotFoundException(jobId);
        }
        return JobState.valueOf(states.get(0));
    }

    private <T> T read(java.util.function.Function<Session, T> query) {
        return storage.read(query);
    }

    private static JobSummary summary(JobEntity j) {
        return new JobSummary(JobId.format(j.getId()), j.getJobName(), j.getQueue(), JobState.valueOf(j.getState()),
                j.getStateReason(), j.getAttempt(), fromDb(j.getCreatedAt()), fromDb(j.getStateChangedAt()),
                fromDb(j.getScheduledAt()));
    }

    @SuppressWarnings("unchecked")
    private static StateRecord record(String state, String reason, Instant at, String json) {
        Map<String, String> data = json == null ? Map.of() : JobArguments.fromJson(json, Map.class);
        return new StateRecord(JobState.valueOf(state), reason, at, data);
    }
}
