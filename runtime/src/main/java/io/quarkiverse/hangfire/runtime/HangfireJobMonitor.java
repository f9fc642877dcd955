package io.quarkiverse.hangfire.runtime;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.hibernate.Session;

import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobMonitor;
import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.JobPage;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.JobSummary;
import io.quarkiverse.hangfire.StateRecord;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;
import io.quarkiverse.hangfire.runtime.state.StateMachine;
import io.quarkiverse.hangfire.runtime.storage.Storage;
import io.quarkiverse.hangfire.runtime.storage.entity.JobEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.JobParameterEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.JobStateEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;

import static io.quarkiverse.hangfire.runtime.storage.JobClock.fromDb;

/** The monitoring queries, through the entities. */
@Singleton
public class HangfireJobMonitor implements JobMonitor {

    private static final int MAX_PAGE = 1000;

    @Inject
    Storage storage;

    @Override
    public Map<JobState, Long> countsByState() {
        return read(session -> {
            Map<JobState, Long> counts = new EnumMap<>(JobState.class);
            for (JobState state : JobState.values()) {
                counts.put(state, 0L);
            }
            for (Object[] row : session.createSelectionQuery("select j.state, count(j) from JobEntity j group by j.state",
                    Object[].class).getResultList()) {
                counts.put(JobState.valueOf((String) row[0]), (Long) row[1]);
            }
            return counts;
        });
    }

    @Override
    public Map<String, Long> enqueuedCountsByQueue() {
        return read(session -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (Object[] row : session.createSelectionQuery(
                    "select q.queue, count(q) from JobQueueEntity q where q.owner is null group by q.queue order by q.queue",
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
        return read(session -> {
            long total = session.createSelectionQuery("select count(j) from JobEntity j where j.state = :state", Long.class)
                    .setParameter("state", state.name()).getSingleResult();
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
        long id;
        try {
            id = StateMachine.parseId(jobId);
        } catch (JobNotFoundException e) {
            return Optional.empty();
        }
        return read(session -> {
            JobEntity job = session.find(JobEntity.class, id);
            if (job == null) {
                return Optional.empty();
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            session.createSelectionQuery("from JobParameterEntity p where p.jobId = :job order by p.name",
                    JobParameterEntity.class).setParameter("job", id).getResultList()
                    .forEach(p -> parameters.put(p.getName(), p.getValue()));
            List<StateRecord> history = session
                    .createSelectionQuery("from JobStateEntity s where s.jobId = :job order by s.id desc", JobStateEntity.class)
                    .setParameter("job", id).getResultList().stream().map(HangfireJobMonitor::record).toList();
            return Optional.of(new JobDetails(job.getId().toString(), job.getJobName(), job.getQueue(),
                    JobArguments.split(job.getArguments()), JobState.valueOf(job.getState()), job.getStateReason(),
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

    /** The job's current state; a {@link JobNotFoundException} when there is no such job. */
    JobState state(String jobId) {
        return job(jobId).map(JobDetails::state).orElseThrow(() -> new JobNotFoundException(jobId));
    }

    private <T> T read(java.util.function.Function<Session, T> query) {
        return QuarkusTransaction.joiningExisting().call(() -> query.apply(storage.session()));
    }

    private static JobSummary summary(JobEntity j) {
        return new JobSummary(j.getId().toString(), j.getJobName(), j.getQueue(), JobState.valueOf(j.getState()),
                j.getStateReason(), j.getAttempt(), fromDb(j.getCreatedAt()), fromDb(j.getStateChangedAt()),
                fromDb(j.getScheduledAt()));
    }

    @SuppressWarnings("unchecked")
    private static StateRecord record(JobStateEntity s) {
        Map<String, String> data = s.getData() == null ? Map.of() : JobArguments.fromJson(s.getData(), Map.class);
        return new StateRecord(JobState.valueOf(s.getState()), s.getReason(), fromDb(s.getCreatedAt()), data);
    }
}
